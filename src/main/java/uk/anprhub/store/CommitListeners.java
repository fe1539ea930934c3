package uk.anprhub.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands committed reads to the {@link CommitListener}s on one daemon thread. A writer only offers to a bounded
 * queue: when the listeners fall behind, batches are dropped and counted rather than holding up a commit.
 */
final class CommitListeners implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommitListeners.class);
    private static final int QUEUE = 10_000; // batches

    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<List<CommitListener.Committed>> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private volatile Thread thread;
    private volatile boolean running = true;

    synchronized void add(CommitListener listener) {
        listeners.add(listener);
        if (thread == null) { // started with the first listener: a writer without listeners runs no extra thread
            thread = new Thread(this::loop, "anpr-commit-listeners");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Never blocks, never throws. */
    void publish(List<CommitListener.Committed> reads) {
        if (reads.isEmpty() || listeners.isEmpty()) {
            return;
        }
        if (!queue.offer(reads) && dropped.getAndIncrement() % 1_000 == 0) {
            log.warn("Commit listeners behind: {} batch(es) of committed reads not passed on so far", dropped.get());
        }
    }

    long dropped() {
        return dropped.get();
    }

    private void loop() {
        while (running || !queue.isEmpty()) {
            List<CommitListener.Committed> reads;
            try {
                reads = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (reads == null) {
                continue;
            }
            for (CommitListener l : listeners) {
                try {
                    l.committed(reads);
                } catch (RuntimeException e) { // by class only: a message could quote what the listener saw
                    log.warn("Commit listener {} failed: {}", l.getClass().getName(), e.getClass().getName());
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.join(5_000);
        }
    }
}
