package uk.anprhub.transport.ftp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Deletes archived ({@code done/}, {@code failed/}) files once older than the retention: they hold personal data. */
final class ArchiveRetention {

    private static final Logger log = LoggerFactory.getLogger(ArchiveRetention.class);

    private final Path archive;
    private final Clock clock;
    private final Duration retention;

    ArchiveRetention(Path archive, Clock clock, Duration retention) {
        this.archive = archive;
        this.clock = clock;
        this.retention = retention;
    }

    void cleanQuietly() {
        try {
            clean();
        } catch (RuntimeException e) {
            log.error("FTP inbox: clean-up of the archive failed", e);
        }
    }

    /** Deletes files older than the retention, then empty day folders; returns how many files. */
    int clean() {
        if (!Files.isDirectory(archive)) {
            return 0;
        }
        long before = clock.millis() - retention.toMillis();
        int deleted = 0;
        List<Path> all;
        try (Stream<Path> files = Files.walk(archive)) {
            all = files.sorted(Comparator.reverseOrder()).toList(); // children before their folder
        } catch (IOException | UncheckedIOException e) {
            log.warn("FTP inbox: cannot walk the archive: {}", e.toString());
            return 0;
        }
        for (Path p : all) {
            try {
                if (Files.isRegularFile(p)) {
                    if (Files.getLastModifiedTime(p).toMillis() < before) {
                        Files.deleteIfExists(p);
                        deleted++;
                    }
                } else if (Files.isDirectory(p) && !p.equals(archive) && archive.relativize(p).getNameCount() > 2) {
                    try (Stream<Path> children = Files.list(p)) {
                        if (children.findAny().isEmpty()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            } catch (IOException e) {
                log.debug("FTP inbox: clean-up skipped an entry: {}", e.toString());
            }
        }
        if (deleted > 0) {
            log.info("FTP inbox: deleted {} archived file(s) older than {} day(s)", deleted, retention.toDays());
        }
        return deleted;
    }
}
