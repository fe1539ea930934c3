package uk.anprhub.transport.ftp;

import io.micrometer.core.instrument.Counter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The uploads in progress (from STOR/APPE to the server's answer) and those cut short, as the {@link UploadFtplet}
 * reports them: a file is taken once its upload completed, never while it is being written; a file a worker has is
 * not overwritten, renamed or deleted until it is settled. Works under the {@link InboxQueue}'s monitor (the inbox's
 * one lock), so an upload, the scan and a worker never see each other half done.
 */
final class UploadTracker {

    private final InboxQueue queue;
    private final Counter refusedFull;
    private final Map<Path, UUID> uploading = new HashMap<>();
    private final Set<Path> incomplete = new HashSet<>();
    private final Set<Path> tooLarge = new HashSet<>();

    UploadTracker(InboxQueue queue, Counter refusedFull) {
        this.queue = queue;
        this.refusedFull = refusedFull;
    }

    /**
     * An upload of {@code file} is about to start. Waits while the file is being ingested (so the camera never
     * overwrites a file between its commit and its move).
     */
    UploadAdmission begin(Path file, UUID session) {
        synchronized (queue) {
            if (queue.full(file)) {
                refusedFull.increment();
                return UploadAdmission.FULL;
            }
            if (!queue.awaitNotProcessing(file)) {
                return UploadAdmission.BUSY;
            }
            uploading.put(file, session);
            incomplete.remove(file);
            return UploadAdmission.ADMITTED;
        }
    }

    /** The upload ended: taken if it completed, remembered as incomplete otherwise (the camera will retry). */
    void end(Path file, UUID session, FtpInbox.Account account, boolean complete, String remoteAddr) {
        synchronized (queue) {
            if (!session.equals(uploading.get(file))) {
                return;
            }
            uploading.remove(file);
            if (tooLarge.remove(file)) {
                PendingFile f = queue.offer(file, account, remoteAddr);
                if (f != null) {
                    f.tooLarge = true;
                }
            } else if (complete) {
                queue.offer(file, account, remoteAddr);
            } else if (Files.exists(file)) {
                incomplete.add(file);
            }
            queue.wake();
        }
    }

    /** Marks by the size-limited output stream: the upload was cut at the limit. */
    void markTooLarge(Path file) {
        synchronized (queue) {
            tooLarge.add(file);
        }
    }

    /** Before RNFR/DELE of a file: wait while it is being ingested. */
    boolean beforeChange(Path file) {
        return queue.awaitNotProcessing(file);
    }

    /** A file renamed by the camera (upload under a temporary name, then RNTO): the new name is taken. */
    void renamed(Path from, Path to, FtpInbox.Account account, String remoteAddr) {
        synchronized (queue) {
            queue.drop(from);
            incomplete.remove(from);
            if (Files.isRegularFile(to)) {
                queue.offer(to, account, remoteAddr);
            }
        }
    }

    void deleted(Path file) {
        synchronized (queue) {
            queue.drop(file);
            incomplete.remove(file);
        }
    }

    /** A session ended or started a new command: uploads it had not finished are incomplete. */
    void sessionDone(UUID session) {
        synchronized (queue) {
            var it = uploading.entrySet().iterator();
            while (it.hasNext()) {
                var u = it.next();
                if (u.getValue().equals(session)) {
                    it.remove();
                    if (Files.exists(u.getKey())) {
                        incomplete.add(u.getKey());
                    }
                }
            }
            queue.wake();
        }
    }

    boolean uploading(Path file) {
        synchronized (queue) {
            return uploading.containsKey(file);
        }
    }

    /** Neither being uploaded nor left incomplete by a camera (which will upload it again): the scan may take it. */
    boolean untouched(Path file) {
        synchronized (queue) {
            return !uploading.containsKey(file) && !incomplete.contains(file);
        }
    }

    /** The file is taken away (an ignored name swept to failed/): no longer incomplete. */
    void forgetIncomplete(Path file) {
        synchronized (queue) {
            incomplete.remove(file);
        }
    }
}
