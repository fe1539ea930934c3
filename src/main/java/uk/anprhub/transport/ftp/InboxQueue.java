package uk.anprhub.transport.ftp;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The files known to the inbox and not yet settled ({@code max-pending-files} at most), and the queue of those ready
 * for a worker. Its monitor is the inbox's one lock: the {@link UploadTracker}, the {@link HomeScanner}, the workers
 * and the {@link StoreBackoff} change a file's state together under it, and wait on it for one another.
 */
final class InboxQueue {

    private final Map<Path, PendingFile> files = new HashMap<>();
    private final LinkedBlockingQueue<Path> ready = new LinkedBlockingQueue<>();
    private final int maxPending;
    private final List<PathMatcher> ignore;

    InboxQueue(int maxPending, List<String> ignoreGlobs) {
        this.maxPending = maxPending;
        this.ignore = ignoreGlobs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    }

    /** Files known and not yet settled. */
    synchronized int size() {
        return files.size();
    }

    synchronized boolean full() {
        return files.size() >= maxPending;
    }

    /** No room for {@code file} (a file already known takes no more room). */
    synchronized boolean full(Path file) {
        return !files.containsKey(file) && files.size() >= maxPending;
    }

    synchronized boolean knows(Path file) {
        return files.containsKey(file);
    }

    /** A temporary or hidden name ({@code anpr.ftp.ignore}): never taken. */
    boolean ignored(Path file) {
        Path name = file.getFileName();
        return ignore.stream().anyMatch(m -> m.matches(name));
    }

    /** Takes {@code file} (a known one only gets the newer sender address); null for an ignored name. */
    synchronized PendingFile offer(Path file, FtpInbox.Account account, String remoteAddr) {
        if (ignored(file)) {
            return null;
        }
        PendingFile f = files.get(file);
        if (f == null) {
            f = new PendingFile(file, account, remoteAddr);
            files.put(file, f);
            ready.add(file);
        } else if (remoteAddr != null) {
            f.remoteAddr = remoteAddr;
        }
        return f;
    }

    /** The camera renamed or deleted the file: forgotten, unless a worker has it. */
    synchronized void drop(Path file) {
        PendingFile f = files.get(file);
        if (f != null && f.state != PendingFile.State.PROCESSING) {
            files.remove(file);
        }
    }

    /** Settled or gone: forgotten, and whoever waits for it is woken. */
    synchronized void forget(PendingFile f) {
        if (files.get(f.path) == f) {
            files.remove(f.path);
        }
        notifyAll();
    }

    synchronized void requeue(PendingFile f) {
        f.state = PendingFile.State.QUEUED;
        ready.add(f.path);
        notifyAll();
    }

    /** Its retry delay is over: queued again, unless it was settled or forgotten meanwhile. */
    synchronized void requeueIfWaiting(PendingFile f) {
        if (files.get(f.path) == f && f.state == PendingFile.State.WAITING) {
            f.state = PendingFile.State.QUEUED;
            ready.add(f.path);
        }
    }

    /** Queues every file waiting out a retry delay now; returns how many. */
    synchronized int requeueWaiting() {
        int waiting = 0;
        for (PendingFile f : files.values()) {
            if (f.state == PendingFile.State.WAITING) {
                f.state = PendingFile.State.QUEUED;
                ready.add(f.path);
                waiting++;
            }
        }
        return waiting;
    }

    /** The next ready path, or null after {@code millis}. */
    Path poll(long millis) throws InterruptedException {
        return ready.poll(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Hands the file to a worker (PROCESSING), or null: no longer known or queued, or being uploaded again (then it is
     * forgotten, and taken again when that upload ends).
     */
    synchronized PendingFile claim(Path file, Predicate<Path> beingUploaded) {
        PendingFile f = files.get(file);
        if (f == null || f.state != PendingFile.State.QUEUED) {
            return null;
        }
        if (beingUploaded.test(file)) {
            files.remove(file);
            return null;
        }
        f.state = PendingFile.State.PROCESSING;
        return f;
    }

    /** Waits (60 s at most) while a worker has the file; false on timeout or interrupt. */
    synchronized boolean awaitNotProcessing(Path file) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        PendingFile f;
        while ((f = files.get(file)) != null && f.state == PendingFile.State.PROCESSING) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Wakes whoever waits on the inbox's lock (a file settled, an upload ended, the back-off ended). */
    synchronized void wake() {
        notifyAll();
    }
}
