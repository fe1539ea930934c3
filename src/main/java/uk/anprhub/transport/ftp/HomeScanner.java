package uk.anprhub.transport.ftp;

import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The periodic scan of the home folders, the safety net behind the Ftplet: takes files unchanged for the quiet
 * period and not otherwise known (present at start-up, uploads whose completion was missed, files put there by
 * other means), oldest first, and sweeps old files with an ignored name to {@code failed/}.
 */
final class HomeScanner {

    private static final Logger log = LoggerFactory.getLogger(HomeScanner.class);

    private final List<FtpInbox.Account> accounts;
    private final InboxQueue queue;
    private final UploadTracker uploads;
    private final InboxArchive archive;
    private final Clock clock;
    private final Duration quietPeriod;
    private final Duration ignoredMaxAge;
    private final Counter ignoredMoved;

    HomeScanner(List<FtpInbox.Account> accounts, InboxQueue queue, UploadTracker uploads, InboxArchive archive,
                Clock clock, Duration quietPeriod, Duration ignoredMaxAge, Counter ignoredMoved) {
        this.accounts = accounts;
        this.queue = queue;
        this.uploads = uploads;
        this.archive = archive;
        this.clock = clock;
        this.quietPeriod = quietPeriod;
        this.ignoredMaxAge = ignoredMaxAge;
        this.ignoredMoved = ignoredMoved;
    }

    void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            log.error("FTP inbox: scan failed", e);
        }
    }

    /** Takes files that are in a home folder, unchanged for the quiet period and not otherwise known. */
    void scan() {
        long quietBefore = clock.millis() - quietPeriod.toMillis();
        sweepIgnored();
        for (FtpInbox.Account a : accounts) {
            List<Path> found;
            try (Stream<Path> files = Files.walk(a.home())) {
                found = files.filter(p -> !p.equals(a.home()) && !queue.ignored(p) && Files.isRegularFile(p)).toList();
            } catch (IOException | UncheckedIOException e) {
                log.warn("FTP inbox: cannot scan the home of {}: {}", a.user(), e.toString());
                continue;
            }
            List<Path> candidates = new ArrayList<>();
            Map<Path, Long> modified = new HashMap<>();
            for (Path p : found) {
                try {
                    long m = Files.getLastModifiedTime(p).toMillis();
                    if (m <= quietBefore) {
                        modified.put(p, m);
                        candidates.add(p);
                    }
                } catch (IOException ignoredGone) {
                    // vanished meanwhile
                }
            }
            candidates.sort(Comparator.comparing(modified::get)); // oldest first
            synchronized (queue) {
                for (Path c : candidates) {
                    Path p = c.toAbsolutePath().normalize();
                    if (queue.full()) {
                        return;
                    }
                    if (!queue.knows(p) && uploads.untouched(p)) {
                        queue.offer(p, a, null);
                    }
                }
            }
        }
    }

    /**
     * Files with an ignored name (temporary names, hidden files) are never ingested: once older than
     * {@code ignored-max-age} and not being uploaded they are moved to {@code failed/} with a reason, so an
     * abandoned or deliberate pile of them cannot fill the disk. Kept there until the retention, like any failed file.
     */
    private void sweepIgnored() {
        long before = clock.millis() - ignoredMaxAge.toMillis();
        for (FtpInbox.Account a : accounts) {
            List<Path> old;
            try (Stream<Path> files = Files.walk(a.home())) {
                old = files.filter(p -> queue.ignored(p) && Files.isRegularFile(p) && olderThan(p, before)).toList();
            } catch (IOException | UncheckedIOException e) {
                continue;
            }
            for (Path p : old) {
                Path file = p.toAbsolutePath().normalize();
                synchronized (queue) {
                    if (uploads.uploading(file) || queue.knows(file)) {
                        continue;
                    }
                    uploads.forgetIncomplete(file);
                }
                archive.move(file, a, "failed", "ignored\nthe name matches anpr.ftp.ignore (a temporary or "
                        + "hidden file) and it was left for longer than " + ignoredMaxAge + " without a rename\n");
                ignoredMoved.increment();
            }
        }
    }

    private static boolean olderThan(Path p, long millis) {
        try {
            return Files.getLastModifiedTime(p).toMillis() <= millis;
        } catch (IOException e) {
            return false;
        }
    }
}
