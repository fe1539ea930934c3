package uk.anprhub.delivery;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How long the backlog will take to drain at this instance's recent delivery rate (the reads delivered over the last
 * {@code window} of samples). Not thread-safe: sampled and read by the one stats thread, read by gauges as a value.
 */
final class DrainEstimate {

    /** No deliveries in the window while there is a backlog: the drain is not moving. */
    static final long NOT_DRAINING = -1;

    private record Sample(long nanos, long delivered) {
    }

    private final long windowNanos;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private volatile long etaSeconds;

    DrainEstimate(java.time.Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** @param delivered this instance's running count of delivered reads */
    synchronized void sample(long nanos, long delivered, long backlog) {
        samples.addLast(new Sample(nanos, delivered));
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > windowNanos) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        double seconds = (nanos - first.nanos()) / 1e9;
        double rate = seconds <= 0 ? 0 : (delivered - first.delivered()) / seconds;
        etaSeconds = backlog <= 0 ? 0 : rate <= 0 ? NOT_DRAINING : (long) Math.ceil(backlog / rate);
    }

    /** 0 with no backlog, {@link #NOT_DRAINING} when nothing was delivered lately, else seconds. */
    long etaSeconds() {
        return etaSeconds;
    }
}
