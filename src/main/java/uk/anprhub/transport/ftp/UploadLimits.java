package uk.anprhub.transport.ftp;

import io.micrometer.core.instrument.Counter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The disk checks made before an upload starts, so a camera is told "try later" (452) and keeps its file rather
 * than failing mid-transfer: the account's quota of waiting files and bytes, and the disk's free-space floor.
 */
final class UploadLimits {

    private final long minFreeSpace;
    private final Counter refusedFull;
    private final Counter refusedQuota;

    UploadLimits(long minFreeSpace, Counter refusedFull, Counter refusedQuota) {
        this.minFreeSpace = minFreeSpace;
        this.refusedFull = refusedFull;
        this.refusedQuota = refusedQuota;
    }

    /** The disk that would hold the upload has less usable space than {@code min-free-space}. */
    boolean lowOnSpace(Path file) {
        boolean low;
        try {
            Path dir = file.getParent();
            while (dir != null && !Files.exists(dir)) {
                dir = dir.getParent();
            }
            low = dir != null && Files.getFileStore(dir).getUsableSpace() < minFreeSpace;
        } catch (IOException e) {
            low = false; // cannot tell: the upload itself will say
        }
        if (low) {
            refusedFull.increment();
        }
        return low;
    }

    /**
     * True when the account's home already holds its quota of files or bytes (everything in it counts, ignored
     * names too): the upload is then refused with 452 and the camera keeps its file. Stops counting at the quota.
     */
    boolean overQuota(FtpInbox.Account account) {
        long files = 0;
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(account.home())) {
            for (var it = walk.iterator(); it.hasNext(); ) {
                Path p = it.next();
                if (Files.isRegularFile(p)) {
                    files++;
                    bytes += sizeOf(p);
                    if (files >= account.quotaFiles() || bytes >= account.quotaBytes()) {
                        refusedQuota.increment();
                        return true;
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return false; // no home yet: nothing waits
        }
        return false;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException gone) {
            return 0;
        }
    }
}
