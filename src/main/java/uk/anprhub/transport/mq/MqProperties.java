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
     * @param userName     user name of the hub's broker connection (every MQTT route); unset = none
     * @param password     its password
     * @param tls          trust (and optional client certificate) for an {@code ssl://} broker URL
     */
    @ConfigurationProperties("anpr.mqtt")
    public record Mqtt(@DefaultValue("false") boolean enabled, @DefaultValue("500ms") Duration retryBackoff,
                       @DefaultValue("10s") Duration retryBackoffMax, String userName, String password,
                       @DefaultValue Tls tls) {
    }

    /**
     * TLS of the broker connection ({@code anpr.mqtt.tls.*}), used with {@code anpr.mqtt.broker-url=ssl://host:8883}.
     * Unset: the JVM's default trust store. The broker's host name is checked against its certificate.
     *
     * @param truststore         CA certificates the broker's certificate is checked against
     * @param truststorePassword its password
     * @param truststoreType     {@code PKCS12} or {@code JKS}
     * @param keystore           a client certificate and key, for brokers that demand one
     * @param keystorePassword   its password (also the key's)
     * @param keystoreType       {@code PKCS12} or {@code JKS}
     */
    public record Tls(java.nio.file.Path truststore, String truststorePassword, @DefaultValue("PKCS12") String truststoreType,
                      java.nio.file.Path keystore, String keystorePassword, @DefaultValue("PKCS12") String keystoreType) {

        public boolean on() {
            return truststore != null || keystore != null;
        }
    }
}
