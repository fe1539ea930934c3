package uk.anprhub.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The embedded store's password: generated at first start, one line in a file only the hub's OS account may read
 * (mode 0600). It is also initdb's {@code --pwfile}, so it holds the password and nothing else.
 */
final class StoreSecret {

    private static final Logger log = LoggerFactory.getLogger(StoreSecret.class);
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private StoreSecret() {
    }

    /** The password in {@code file}; creates the file with a new random password when there is none. */
    static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            ownerOnly(file);
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new IOException("The embedded store's password file " + file + " is empty");
            }
            return secret;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        // written to a private temporary file and moved into place: never readable by others, never half written
        Path tmp = posix()
                ? Files.createTempFile(file.toAbsolutePath().getParent(), ".postgres-secret", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(file.toAbsolutePath().getParent(), ".postgres-secret", ".tmp");
        try {
            Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return secret;
    }

    /** Takes back group/other access if someone widened the file's mode. */
    private static void ownerOnly(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            log.warn("{} was readable by other accounts; set back to 0600", file);
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
