package uk.anprhub.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Records what became of a claimed batch, so that a database away for a moment costs no duplicate and loses nothing. */
final class BatchRecorder {

    private static final Logger log = LoggerFactory.getLogger(TargetWorker.class); // the target's story, in one logger

    private final String id;
    private final DeliveryStore store;
    private final Duration lease;

    BatchRecorder(String id, DeliveryStore store, Duration lease) {
        this.id = id;
        this.store = store;
        this.lease = lease;
    }

    /**
     * Records the verdicts, retrying while the lease lasts: a database that is away for a moment must not leave a batch
     * the target already took to be sent again when the lease ends. Safe to repeat: every update needs status PENDING, or the
     * batch's lease token.
     *
     * @throws SQLException when the lease is nearly over: another worker may take the batch (the caller says so)
     */
    void complete(DeliveryStore.Lease batch, Verdicts v, long deadline) throws SQLException, InterruptedException {
        long waitMillis = 250;
        for (int attempt = 1; ; attempt++) {
            try {
                store.complete(id, batch, v.delivered(), v.retries(), v.dead());
                return;
            } catch (SQLException e) {
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) - deadline > 0) {
                    throw e;
                }
                if (attempt == 1) {
                    log.warn("Delivery target {}: verdicts of a sent batch not recorded (SQLState {}); retrying until the lease ends",
                            id, e.getSQLState());
                }
                Thread.sleep(waitMillis);
                waitMillis = Math.min(waitMillis * 2, 5_000);
            }
        }
    }

    /** Re-queues a batch that got no verdict, at once; if even that fails the lease brings it back. */
    void release(DeliveryStore.Lease lease, List<Claimed> batch, String why) {
        try {
            store.complete(id, lease, List.of(), batch.stream().map(c -> new DeliveryStore.Retry(c, Duration.ZERO, why)).toList(), List.of());
        } catch (Throwable e) {
            log.warn("Delivery target {}: could not re-queue {} claimed read(s) ({}); they return after the lease ({})", id,
                    batch.size(), e.getClass().getSimpleName(), lease);
        }
    }
}
