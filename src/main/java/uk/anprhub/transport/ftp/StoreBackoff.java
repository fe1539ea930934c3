package uk.anprhub.transport.ftp;

import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.core.ExponentialBackoff;
import uk.anprhub.ingest.IngestOutcome;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The back-off shared by all workers while the store does not take files: each failure doubles the pause (up to
 * {@code retry-max}) and leaves the file where it is, to be retried after the pause; the first success ends the
 * pause for everyone and queues every waiting file at once. Works under the {@link InboxQueue}'s monitor.
 */
final class StoreBackoff {

    private static final Logger log = LoggerFactory.getLogger(StoreBackoff.class);

    private final InboxQueue queue;
    private final ExponentialBackoff delays;
    private final Counter retried;
    /** The inbox's scheduler while it runs (null or shut down otherwise). */
    private final Supplier<ScheduledExecutorService> scheduler;
    private volatile long pausedUntilNanos;
    private int consecutiveFailures; // guarded by the queue's monitor

    StoreBackoff(InboxQueue queue, Duration retryInitial, Duration retryMax, Counter retried,
                 Supplier<ScheduledExecutorService> scheduler) {
        this.queue = queue;
        this.delays = new ExponentialBackoff(retryInitial, retryMax);
        this.retried = retried;
        this.scheduler = scheduler;
    }

    /** Sleeps out the shared back-off; a success elsewhere ends it early (the queue's monitor is notified). */
    void await(BooleanSupplier running) throws InterruptedException {
        synchronized (queue) {
            long pause;
            while (running.getAsBoolean() && (pause = pausedUntilNanos - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(queue, pause);
            }
        }
    }

    /**
     * The store took a file: the back-off ends for everyone and the files waiting out their own retry delay are
     * queued now, so the inbox drains as soon as the store is back instead of when each delay runs out.
     */
    void recovered() {
        synchronized (queue) {
            if (consecutiveFailures == 0) {
                return;
            }
            int waiting = queue.requeueWaiting();
            log.info("FTP inbox: the store accepts again after {} failed attempt(s); {} waiting file(s) queued",
                    consecutiveFailures, waiting);
            consecutiveFailures = 0;
            pausedUntilNanos = System.nanoTime();
            queue.wake();
        }
    }

    /** Not settled: the file stays; every worker backs off (doubling up to retry-max), then the file is retried. */
    void retry(PendingFile entry, IngestOutcome result) {
        retried.increment();
        long delayMs;
        synchronized (queue) {
            consecutiveFailures++;
            entry.attempts++;
            entry.state = PendingFile.State.WAITING;
            delayMs = delays.delay(consecutiveFailures).toMillis();
            if (consecutiveFailures == 1) {
                log.warn("FTP inbox: the store did not take a file of folder {} ({}); files stay in place and are retried",
                        entry.account.folder(), result == null ? "error: " : FtpOutcomes.why(result));
            } else {
                log.debug("FTP inbox: still not accepted ({} attempts), next try in {} ms", consecutiveFailures, delayMs);
            }
            pausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
            queue.wake();
        }
        ScheduledExecutorService s = scheduler.get();
        if (s != null && !s.isShutdown()) {
            s.schedule(() -> queue.requeueIfWaiting(entry), delayMs, TimeUnit.MILLISECONDS);
        }
    }
}
