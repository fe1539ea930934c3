package uk.anprhub.delivery;

import java.util.concurrent.TimeUnit;

/** Spaces sends so one instance stays under {@code maxRate} reads/s: a catch-up cap, not a precise limiter. */
final class Pacer {

    private final int maxRate;
    private long nextSendNanos;

    Pacer(int maxRate) {
        this.maxRate = maxRate;
    }

    void pace(int reads) throws InterruptedException {
        if (maxRate <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextSendNanos);
            nextSendNanos = slot + reads * 1_000_000_000L / maxRate;
            wait = slot - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
