package uk.anprhub.transport.mq;

import uk.anprhub.core.ExponentialBackoff;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Exponential back-off per key (a feed's route, a partition): initial, doubled per failure, capped; reset on success. */
final class Backoff {

    private final ExponentialBackoff delays;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    Backoff(Duration initial, Duration max) {
        this.delays = new ExponentialBackoff(initial, max.compareTo(initial) < 0 ? initial : max);
    }

    /** The pause after one more failure for this key. */
    Duration next(String key) {
        return delays.delay(failures.merge(key, 1, Integer::sum));
    }

    /** Whether the last attempt for this key failed. */
    boolean failing(String key) {
        return failures.containsKey(key);
    }

    void reset(String key) {
        failures.remove(key);
    }
}
