package uk.anprhub.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Group commit ({@code anpr.store.*}).
 *
 * @param writers         writer threads, each committing one batch at a time
 * @param batchSize       most reads written in one transaction
 * @param maxWait         how long a writer waits for more reads before committing a small batch
 * @param maxPendingReads reads accepted but not yet committed; beyond it senders get 503
 * @param commitTimeout   how long a sender waits for its commit before getting 503 (the write may still land; a retry
 *                        is then a duplicate)
 */
@ConfigurationProperties("anpr.store")
public record StoreProperties(@DefaultValue("2") int writers, @DefaultValue("500") int batchSize,
                              @DefaultValue("2ms") Duration maxWait, @DefaultValue("20000") int maxPendingReads,
                              @DefaultValue("30s") Duration commitTimeout) {
}
