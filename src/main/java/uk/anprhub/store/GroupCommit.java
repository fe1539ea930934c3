package uk.anprhub.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The group-commit engine, knowing nothing of what it writes: senders queue an item and wait on its future; a few
 * writer threads drain the queue into batches of up to {@code batchSize} units (waiting at most {@code maxWait} for
 * more after the first) and hand each batch to one {@link BatchWriter} call, which completes the futures once the
 * batch is durable. The units waiting are bounded: beyond the bound {@link #submit} refuses at once, so back-pressure
 * reaches the protocol instead of memory growing.
 *
 * @param <T> what a sender queues
 * @param <R> what its future completes with
 */
final class GroupCommit<T, R> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** One queued item and its sender's future. */
    record Pending<T, R>(T item, int units, CompletableFuture<R> done) {
    }

    /** Writes one batch and completes or fails every future in it (a throw fails those it left open). */
    interface BatchWriter<T, R> {
        void write(List<Pending<T, R>> batch);
    }

    private final BatchWriter<T, R> writer;
    private final ToIntFunction<T> units;
    private final int batchSize;
    private final Duration maxWait;
    private final int maxPending;
    private final Semaphore capacity;
    private final LinkedBlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param units      how many units an item counts for, in batches and against {@code maxPending} (reads of a
     *                   message; at least 1 is held while it waits)
     * @param maxPending units that may wait at once
     */
    GroupCommit(String threadName, int writerThreads, int batchSize, Duration maxWait, int maxPending, ToIntFunction<T> units,
                BatchWriter<T, R> writer) {
        this.writer = writer;
        this.units = units;
        this.batchSize = batchSize;
        this.maxWait = maxWait;
        this.maxPending = maxPending;
        this.capacity = new Semaphore(maxPending);
        for (int i = 0; i < writerThreads; i++) {
            Thread t = new Thread(this::loop, threadName + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /**
     * Queues an item for the next batch.
     *
     * @throws StoreBusyException when the units waiting already fill the bound, or the engine is closing
     */
    CompletableFuture<R> submit(T item) {
        int n = units.applyAsInt(item);
        int permits = Math.min(Math.max(1, n), maxPending);
        if (!running) {
            throw new StoreBusyException("store is shutting down", null);
        }
        if (!capacity.tryAcquire(permits)) {
            throw new StoreBusyException(maxPending + " reads already wait for the store", null);
        }
        Pending<T, R> p = new Pending<>(item, n, new CompletableFuture<>());
        queue.add(p);
        p.done().whenComplete((r, e) -> capacity.release(permits));
        return p.done();
    }

    int maxPending() {
        return maxPending;
    }

    /** Units accepted but not yet written. */
    int pending() {
        return maxPending - capacity.availablePermits();
    }

    private void loop() {
        List<Pending<T, R>> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int n = first.units();
                long deadline = System.nanoTime() + maxWait.toNanos();
                while (n < batchSize) {
                    long left = deadline - System.nanoTime();
                    Pending<T, R> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    n += next.units();
                }
                writer.write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // Never lose a writer thread (the JDBC driver can throw AssertionError when the server dies mid-batch):
                // fail this batch's senders (they get 503 and retry) and go on.
                log.error("Store writer failed unexpectedly: {} at {}", e.getClass().getName(), // no message: it may quote reads
                        e.getStackTrace().length == 0 ? "?" : e.getStackTrace()[0]);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    /** Stops taking items, writes what is queued, and waits (up to 10 s per writer) for the writers to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
