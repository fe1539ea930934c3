package uk.anprhub.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * HTTP camera feeds ({@code POST /ingest/{feed}}, {@code anpr.http.*}): how big and slow one request may be, and how
 * much HTTP camera work the hub holds at once, so memory is bounded by design rather than by the heap.
 *
 * @param maxBody             larger bodies get 413
 * @param bodyTimeout         the whole body must arrive within this, or the sender gets 408 and the connection is
 *                            closed (checked after each read; one read waits at most
 *                            {@code server.tomcat.connection-timeout})
 * @param maxConcurrentBodies camera requests reading their bodies at once; beyond it 503 + Retry-After at once, so
 *                            slow senders never take the web threads health, API and Hawtio need (keep it well below
 *                            {@code server.tomcat.threads.max})
 * @param maxBytesInFlight    body bytes of camera requests admitted and not yet answered; reserved from
 *                            {@code Content-Length} before a byte is read (chunked bodies are counted as they arrive).
 *                            Beyond it: 503 + Retry-After. Unset: a sixteenth of the maximum heap (32 MB on the launcher's
 *                            default 512 MB), never less than {@code anpr.http.max-body}: a JSON body with a picture
 *                            holds ~3 times its size while it is parsed (body, text, decoded picture) and allocates ~8
 *                            times it (docs/reliability.md, "The flood that ended in OutOfMemoryError")
 * @param maxRequestsInFlight camera requests admitted and not yet answered (whatever their size); beyond it 503 +
 *                            Retry-After. Keep it at most {@code spring.task.execution.pool.max-size + queue-capacity}
 *                            so the hand-off to the route never overflows its queue
 * @param answerWithin        a request whose reads were not handed to the store within this (counted from the end of its
 *                            body) gets 503 + Retry-After and is not stored; the servlet's async timeout is set above
 *                            this plus {@code anpr.store.commit-timeout}, so the hub never answers before it knows
 */
@ConfigurationProperties("anpr.http")
public record HttpFeedProperties(@DefaultValue("10MB") DataSize maxBody, @DefaultValue("30s") Duration bodyTimeout,
                                 @DefaultValue("64") int maxConcurrentBodies, DataSize maxBytesInFlight,
                                 @DefaultValue("1000") int maxRequestsInFlight,
                                 @DefaultValue("15s") Duration answerWithin) {

    /**
     * Spring's own async timeout for a camera request (which answers 503 while the route works on, and may still
     * commit): above anything the route waits for, the deadline to reach the store plus the store's commit timeout.
     */
    public Duration asyncTimeout(Duration commitTimeout) {
        return answerWithin.plus(commitTimeout).plusSeconds(10);
    }

    /** The byte budget: the configured one, else a sixteenth of the heap; at least one body of the maximum size. */
    public long bytesInFlight() {
        long budget = maxBytesInFlight != null ? maxBytesInFlight.toBytes() : Runtime.getRuntime().maxMemory() / 16;
        return Math.max(budget, maxBody.toBytes() + 1);
    }
}
