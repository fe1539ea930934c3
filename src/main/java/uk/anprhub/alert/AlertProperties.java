package uk.anprhub.alert;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Alerts ({@code anpr.alerts.*}; docs/hotlists.md#alerts).
 *
 * @param webhooks      targets by id: each hit is POSTed there as JSON, through an outbox
 * @param keepAlive     an SSE comment this often, so proxies keep the stream open and dead clients are found
 * @param streamTimeout a stream is closed after this long (the browser reconnects and resumes)
 * @param streamThreads threads writing to stream subscribers
 * @param poll          how often the webhook worker looks for due rows (it is also woken by each new hit)
 * @param parkedRetry   how often hits that could not be stored (parked) are tried again
 */
@ConfigurationProperties("anpr.alerts")
public record AlertProperties(@DefaultValue Map<String, Webhook> webhooks,
                              @DefaultValue("15s") Duration keepAlive,
                              @DefaultValue("30m") Duration streamTimeout,
                              @DefaultValue("2") int streamThreads,
                              @DefaultValue("1s") Duration poll,
                              @DefaultValue("10s") Duration parkedRetry) {

    /**
     * @param url         where hits are POSTed (application/json, header {@code X-Anpr-Hit-Id})
     * @param lists       list ids it takes; empty: every list
     * @param maxAttempts a hit not accepted after this many attempts is a dead letter (replay re-queues it)
     * @param backoff     first retry delay, doubled per attempt up to {@code maxBackoff}
     * @param timeout     answer time allowed per POST
     */
    public record Webhook(URI url, @DefaultValue List<String> lists, @DefaultValue("10") int maxAttempts,
                          @DefaultValue("1s") Duration backoff, @DefaultValue("5m") Duration maxBackoff,
                          @DefaultValue("5s") Duration timeout) {
    }
}
