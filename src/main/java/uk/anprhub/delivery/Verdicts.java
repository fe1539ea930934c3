package uk.anprhub.delivery;

import uk.anprhub.core.ExponentialBackoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The verdicts on one claimed batch, collected so that one transaction records them all. */
final class Verdicts {

    private final DeliveryProperties.Retry retry;
    private final List<Claimed> delivered = new ArrayList<>();
    private final List<DeliveryStore.Retry> retries = new ArrayList<>();
    private final List<DeliveryStore.Dead> dead = new ArrayList<>();

    Verdicts(DeliveryProperties.Retry retry) {
        this.retry = retry;
    }

    List<Claimed> delivered() {
        return delivered;
    }

    List<DeliveryStore.Retry> retries() {
        return retries;
    }

    List<DeliveryStore.Dead> dead() {
        return dead;
    }

    /** Back in the queue after the back-off of its attempt (never before Retry-After). */
    void retry(Claimed c, String why, Duration retryAfter) {
        retries.add(new DeliveryStore.Retry(c, backoff(retry, c.attempts(), retryAfter), why));
    }

    /** Back in the queue at once (for when the target is resumed): not a failed attempt of the read's own. */
    void release(Claimed c, String why) {
        retries.add(new DeliveryStore.Retry(c, Duration.ZERO, why));
    }

    void dead(Claimed c, String reason, String response) {
        dead.add(new DeliveryStore.Dead(c, reason, response));
    }

    /** Per-record answers; a record the target did not answer is retried. */
    void add(List<Claimed> batch, SendResult.PerRecord r) {
        Map<UUID, SendResult.RecordResult> byId = new HashMap<>();
        r.results().forEach(x -> byId.put(x.readId(), x));
        for (Claimed c : batch) {
            SendResult.RecordResult x = byId.get(c.readId());
            if (x == null || x.status() == SendResult.RecordStatus.RETRY) {
                retry(c, x == null ? "no result" : x.reason(), null);
            } else if (x.status() == SendResult.RecordStatus.DELIVERED) {
                delivered.add(c);
            } else {
                dead(c, x.reason(), x.response());
            }
        }
    }

    /** initial × 2^(attempt-1), capped, with "equal jitter" (half fixed, half random), never before Retry-After. */
    static Duration backoff(DeliveryProperties.Retry retry, int attempts, Duration retryAfter) {
        Duration delay = new ExponentialBackoff(retry.initial(), retry.max()).delayWithJitter(attempts);
        return retryAfter != null && retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
    }
}
