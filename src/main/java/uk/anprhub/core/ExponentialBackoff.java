package uk.anprhub.core;

import io.github.resilience4j.core.IntervalFunction;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hub's one exponential back-off: {@code initial × 2^(attempt-1)}, never over {@code max}, computed by Resilience4j's
 * {@link IntervalFunction} (as the delivery breaker's open wait is). A zero {@code initial} means no pause at all
 * (IntervalFunction refuses it); attempts below 1 count as the first.
 */
public final class ExponentialBackoff {

    private final IntervalFunction interval; // null: initial is zero

    public ExponentialBackoff(Duration initial, Duration max) {
        this.interval = initial.toMillis() < 1 ? null : IntervalFunction.ofExponentialBackoff(initial, 2.0, max);
    }

    /** The pause before retry number {@code attempt} (1: after the first failure). */
    public Duration delay(int attempt) {
        // IntervalFunction walks the attempts one by one; past 63 doublings any delay is at max already
        return interval == null ? Duration.ZERO : Duration.ofMillis(interval.apply(Math.min(64, Math.max(1, attempt))));
    }

    /** {@link #delay} with "equal jitter": half of it fixed, the other half random, so many callers' retries spread. */
    public Duration delayWithJitter(int attempt) {
        long exp = delay(attempt).toMillis();
        return Duration.ofMillis(exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1));
    }
}
