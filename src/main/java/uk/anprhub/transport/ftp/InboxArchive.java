package uk.anprhub.transport.ftp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Moves a settled file out of its home folder to {@code <archive>/<folder>/<done|failed>/<UTC day>/<path>}, with a
 * {@code .reason.txt} beside a failed one. A name taken already (a re-upload) gets {@code stem.1.ext}, ...
 */
final class InboxArchive {

    private static final Logger log = LoggerFactory.getLogger(InboxArchive.class);

    private final Path root;
    private final Clock clock;

    InboxArchive(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /** Moves {@code file}; a file gone meanwhile is no error, and one that cannot be moved is logged and left. */
    void move(Path file, FtpInbox.Account account, String kind, String reason) {
        Path relative = account.home().relativize(file);
        Path dir = root.resolve(account.folder()).resolve(kind)
                .resolve(LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString());
        try {
            Path target = dir.resolve(relative.toString());
            Files.createDirectories(target.getParent());
            target = free(target);
            if (reason != null) {
                Files.writeString(target.resolveSibling(target.getFileName() + ".reason.txt"), reason, StandardCharsets.UTF_8);
            }
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(file, target);
            }
        } catch (NoSuchFileException e) {
            // gone meanwhile: nothing to move
        } catch (IOException e) {
            // Settled but not moved: taken again by a later scan, which yields duplicates, never a loss.
            log.error("FTP inbox: a settled file of folder {} could not be moved to {}: {}", account.folder(), kind, e.toString());
        }
    }

    /** {@code name}, else {@code stem.1.ext}, {@code stem.2.ext} ... (a re-upload of the same name). */
    private static Path free(Path target) {
        if (!Files.exists(target)) {
            return target;
        }
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1; ; i++) {
            Path p = target.resolveSibling(stem + "." + i + ext);
            if (!Files.exists(p)) {
                return p;
            }
        }
    }
}
