package uk.anprhub.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import uk.anprhub.core.ExponentialBackoff;

import java.time.Duration;

/**
 * Fetching pictures cameras only reference ({@code anpr.pictures.*}); which connectors do, their size limit,
 * timeout and hosts are declared in their connector.yaml ({@code pictures:}).
 *
 * @param interval    how often due references are looked for
 * @param batchSize   most references taken per round
 * @param maxAttempts requests per reference; after the last failed one it is marked failed and never tried again
 * @param firstRetry  wait before the second attempt, doubled for each further one
 * @param maxRetry    longest wait between two attempts
 */
@ConfigurationProperties("anpr.pictures")
public record PictureFetchProperties(@DefaultValue("5s") Duration interval, @DefaultValue("20") int batchSize,
                                     @DefaultValue("5") int maxAttempts, @DefaultValue("10s") Duration firstRetry,
                                     @DefaultValue("10m") Duration maxRetry) {

    /** The wait after failed attempt {@code attempt} (1-based): exponential, capped. */
    Duration retryAfter(int attempt) {
        return new ExponentialBackoff(firstRetry, maxRetry.compareTo(firstRetry) < 0 ? firstRetry : maxRetry).delay(attempt);
    }
}
