package uk.anprhub.transport.mq;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the message-queue transports that live in Java. Everything a feed declares (broker, topic, group,
 * client id, on/off) is a placeholder in its route file ({@code routes/kafka-*.camel.yaml},
 * {@code routes/mqtt-*.camel.yaml}); see docs/transports.md.
 */
public final class MqProperties {

    private MqProperties() {
    }

    /**
     * {@code anpr.kafka.*}
     *
     * @param enabled       read by the route files ({@code autoStartup}); listed here so it is documented and bound
     * @param ingestThreads messages of one polled batch ingested in parallel (all Kafka feeds share the pool), so
     *                      the store's group commit gets full batches from a single consumer
     * @param retryBackoff  pause before a batch that could not be stored is polled again; doubles up to
     *                      {@code retryBackoffMax} while the store stays unavailable
     */
    @ConfigurationProperties("anpr.kafka")
    public record Kafka(@DefaultValue("false") boolean enabled, @DefaultValue("32") int ingestThreads,
                        @DefaultValue("500ms") Duration retryBackoff, @DefaultValue("10s") Duration retryBackoffMax) {
    }

    /**
     * {@code anpr.mqtt.*}
     *
     * @param enabled      read by the route files ({@code autoStartup})
     * @param retryBackoff pause before a message the store did not take is tried again (it is held unacknowledged
     *                     meanwhile, and the feed takes no other); doubles up to {@code retryBackoffMax}
     */
    @ConfigurationProperties("anpr.mqtt")
    public record Mqtt(@DefaultValue("false") boolean enabled, @DefaultValue("500ms") Duration retryBackoff,
                       @DefaultValue("10s") Duration retryBackoffMax) {
    }
}
