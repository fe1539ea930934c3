package uk.anprhub.transport.ftp;

import uk.anprhub.ingest.IngestService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The inbox's accounts made from {@code anpr.ftp.accounts}, checked at start-up so a mistake stops the hub with a
 * message naming the entry: a unique user, a bcrypt hash, a plain folder name (it becomes a directory) and a known
 * feed. Quotas default to the server-wide ones.
 */
final class InboxAccounts {

    private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private InboxAccounts() {
    }

    /** @param ingest checks that each feed exists; null: not checked */
    static List<FtpInbox.Account> from(FtpProperties props, Path dir, IngestService ingest) {
        if (props.accounts().isEmpty()) {
            throw new IllegalStateException("anpr.ftp.enabled=true but no anpr.ftp.accounts: add one per camera "
                    + "(user, password-hash, folder, feed)");
        }
        List<FtpInbox.Account> out = new ArrayList<>();
        Set<String> users = new HashSet<>();
        for (int i = 0; i < props.accounts().size(); i++) {
            FtpProperties.Account a = props.accounts().get(i);
            String where = "anpr.ftp.accounts[" + i + "]";
            if (a.user() == null || a.user().isBlank() || !users.add(a.user())) {
                throw new IllegalStateException(where + ": a unique user name is needed");
            }
            if (a.passwordHash() == null || !a.passwordHash().startsWith("$2")) {
                throw new IllegalStateException(where + " (" + a.user() + "): password-hash must be a bcrypt hash "
                        + "(make one with: bin/anpr-hub hash-password)");
            }
            String folder = a.folderOrUser();
            if (!FOLDER.matcher(folder).matches()) {
                throw new IllegalStateException(where + " (" + a.user() + "): folder '" + folder
                        + "' must be a plain folder name (letters, digits, . _ -)");
            }
            if (a.feed() == null || a.feed().isBlank()) {
                throw new IllegalStateException(where + " (" + a.user() + "): feed is needed (e.g. hikvision-ftp)");
            }
            if (ingest != null && ingest.feed(a.feed()) == null) {
                throw new IllegalStateException(where + " (" + a.user() + "): feed '" + a.feed()
                        + "' is neither configured (anpr.feeds) nor a connector id");
            }
            int quotaFiles = a.quotaFiles() != null ? a.quotaFiles() : props.quotaFiles();
            long quotaBytes = (a.quotaBytes() != null ? a.quotaBytes() : props.quotaBytes()).toBytes();
            out.add(new FtpInbox.Account(a.user(), folder, a.feed(), dir.resolve(folder), a.cameras(), quotaFiles, quotaBytes));
        }
        return out;
    }
}
