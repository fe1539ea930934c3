package uk.anprhub.delivery;

/**
 * How much of a target's backlog may be in flight at once. While the target answers promptly: every worker with a
 * full batch. After a send without an answer (timeout, connection lost), a slow answer (over half the request
 * timeout) or a worker error — trouble: one worker, and the batch halves down to the probe size; each prompt answer
 * doubles it back. (An answered failure such as 503 needs no narrowing: the target did not take the batch, and the
 * breaker deals with outages.) What is in flight is what a crash re-sends after the lease, so
 * this bounds the duplicates exactly when a crash is likeliest to cost them (a slow or failing target).
 */
final class InFlightWindow {

    private final int full;
    private final int min;
    private int size;

    InFlightWindow(int full, int min) {
        this.full = Math.max(1, full);
        this.min = Math.max(1, Math.min(min, this.full));
        this.size = this.full;
    }

    synchronized int batchSize() {
        return size;
    }

    /** True while in trouble: only the first worker sends. */
    synchronized boolean narrowed() {
        return size < full;
    }

    synchronized void trouble() {
        size = Math.max(min, size / 2);
    }

    synchronized void prompt() {
        size = (int) Math.min(full, size * 2L);
    }

    synchronized void reset() {
        size = full;
    }
}
