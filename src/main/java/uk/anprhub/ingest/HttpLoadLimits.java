package uk.anprhub.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * How much HTTP camera work the hub holds at once ({@code anpr.http.*}, next to the keys of
 * {@code HubProperties.Http}), so memory is bounded by design rather than by the heap.
 *
 * @param maxBytesInFlight    body bytes of camera requests admitted and not yet answered; reserved from
 *                            {@code Content-Length} before a byte is read (chunked bodies are counted as they arrive).
 *                            Beyond it: 503 + Retry-After. Unset: an eighth of the maximum heap (64 MB on the launcher's
 *                            default 512 MB), never less than {@code anpr.http.max-body}
 * @param maxRequestsInFlight camera requests admitted and not yet answered (whatever their size); beyond it 503 +
 *                            Retry-After. Keep it at most {@code spring.task.execution.pool.max-size + queue-capacity}
 *                            so the hand-off to the route never overflows its queue
 * @param answerWithin        a request whose reads were not handed to the store within this (counted from the end of its
 *                            body) gets 503 + Retry-After and is not stored; the servlet's async timeout is set above
 *                            this plus {@code anpr.store.commit-timeout}, so the hub never answers before it knows
 */
@ConfigurationProperties("anpr.http")
public record HttpLoadLimits(DataSize maxBytesInFlight,
                             @DefaultValue("1000") int maxRequestsInFlight,
                             @DefaultValue("15s") Duration answerWithin) {

    /**
     * Spring's own async timeout for a camera request (which answers 503 while the route works on, and may still
     * commit): above anything the route waits for, the deadline to reach the store plus the store's commit timeout.
     */
    public Duration asyncTimeout(Duration commitTimeout) {
        return answerWithin.plus(commitTimeout).plusSeconds(10);
    }

    /** The byte budget: the configured one, else an eighth of the heap; at least one body of the maximum size. */
    public long bytesInFlight(long maxBody) {
        long budget = maxBytesInFlight != null ? maxBytesInFlight.toBytes() : Runtime.getRuntime().maxMemory() / 8;
        return Math.max(budget, maxBody + 1);
    }
}
