package uk.anprhub.transport.ftp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pool of threads that take ready files from the {@link InboxQueue} one at a time, after the shared
 * back-off, and hand each to the {@link FileSettler}. Stopping lets in-flight files finish their commit.
 */
final class InboxWorkers {

    private static final Logger log = LoggerFactory.getLogger(InboxWorkers.class);

    private final int count;
    private final InboxQueue queue;
    private final UploadTracker uploads;
    private final StoreBackoff backoff;
    private final FileSettler settler;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    InboxWorkers(int count, InboxQueue queue, UploadTracker uploads, StoreBackoff backoff, FileSettler settler) {
        this.count = count;
        this.queue = queue;
        this.uploads = uploads;
        this.backoff = backoff;
        this.settler = settler;
    }

    int count() {
        return count;
    }

    boolean running() {
        return running;
    }

    void start() {
        running = true;
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::work, "anpr-ftp-inbox-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    void stop() {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : threads) { // let in-flight files finish their commit; a file cut short is simply retried
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            t.interrupt();
        }
        threads.clear();
    }

    private void work() {
        while (running) {
            Path file;
            try {
                file = queue.poll(200);
                if (file == null) {
                    continue;
                }
                backoff.await(() -> running);
            } catch (InterruptedException e) {
                return;
            }
            // being overwritten: forgotten, and taken again when that upload ends
            PendingFile entry = queue.claim(file, uploads::uploading);
            if (entry == null) {
                continue;
            }
            try {
                settler.settle(entry);
            } catch (RuntimeException e) {
                log.error("FTP inbox: unexpected failure on a file of folder {}; will retry", entry.account.folder(), e);
                backoff.retry(entry, null);
            } finally {
                queue.wake();
            }
        }
    }
}
