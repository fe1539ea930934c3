package uk.anprhub.transport.mq;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the message-queue transports. The broker, client and on/off keys are read by the route files
 * ({@code routes/kafka-*.camel.yaml}, {@code routes/mqtt-*.camel.yaml}) through Camel's placeholders, which see the
 * Spring environment and not these records: their defaults are also in application.yaml (ConfigurationDocTest keeps
 * the two equal). A route's own keys ({@code anpr.kafka.<feed>.topic}, {@code anpr.mqtt.<feed>.topic}, ...) are in
 * application.yaml and additional-spring-configuration-metadata.json. See docs/transports.md.
 */
public final class MqProperties {

    private MqProperties() {
    }

    /**
     * {@code anpr.kafka.*}
     *
     * @param enabled            starts the Kafka routes (their {@code autoStartup})
     * @param brokers            bootstrap servers (route files)
     * @param maxPollRecords     messages per batch, and the most a consumer holds in memory (route files)
     * @param pollTimeoutMs      a partial batch waits at most about this long, in ms (route files)
     * @param batchingIntervalMs the consumer's batching interval in ms (route files)
     * @param ingestThreads messages of one polled batch ingested in parallel (all Kafka feeds share the pool), so
     *                      the store's group commit gets full batches from a single consumer
     * @param retryBackoff  pause before a batch that could not be stored is polled again; doubles up to
     *                      {@code retryBackoffMax} while the store stays unavailable
     * @param retryBackoffMax the longest such pause
     */
    @ConfigurationProperties("anpr.kafka")
    public record Kafka(@DefaultValue("false") boolean enabled, @DefaultValue("localhost:9092") String brokers,
                        @DefaultValue("500") int maxPollRecords, @DefaultValue("200") int pollTimeoutMs,
                        @DefaultValue("200") int batchingIntervalMs, @DefaultValue("32") int ingestThreads,
                        @DefaultValue("500ms") Duration retryBackoff, @DefaultValue("10s") Duration retryBackoffMax) {
    }

    /**
     * {@code anpr.mqtt.*}
     *
     * @param enabled      starts the MQTT routes (their {@code autoStartup})
     * @param brokerUrl    {@code tcp://host:1883}, or {@code ssl://host:8883} for TLS (route files)
     * @param clientId     one per hub instance (a route appends its own suffix); the broker ties the session to it
     *                     (route files)
     * @param sessionExpirySeconds how long the broker keeps the session (and its messages) while the hub is away
     *                     (route files)
     * @param receiveMaximum unacknowledged messages the broker may send the hub; also the hub-side queue (route files)
     * @param concurrency  messages ingested in parallel per feed (route files)
     * @param retryBackoff pause before a message the store did not take is tried again (it is held unacknowledged
     *                     meanwhile, and the feed takes no other); doubles up to {@code retryBackoffMax}
     * @param retryBackoffMax the longest such pause
     * @param userName     user name of the hub's broker connection (every MQTT route); unset = none
     * @param password     its password
     * @param tls          trust (and optional client certificate) for an {@code ssl://} broker URL
     */
    @ConfigurationProperties("anpr.mqtt")
    public record Mqtt(@DefaultValue("false") boolean enabled, @DefaultValue("tcp://localhost:1883") String brokerUrl,
                       @DefaultValue("anpr-hub") String clientId, @DefaultValue("604800") long sessionExpirySeconds,
                       @DefaultValue("32") int receiveMaximum, @DefaultValue("8") int concurrency,
                       @DefaultValue("500ms") Duration retryBackoff,
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
     * @param sslBundle          instead of the stores above: the name of a Spring Boot SSL bundle
     *                           ({@code spring.ssl.bundle.jks.<name>.*} or {@code spring.ssl.bundle.pem.<name>.*})
     */
    public record Tls(java.nio.file.Path truststore, String truststorePassword, @DefaultValue("PKCS12") String truststoreType,
                      java.nio.file.Path keystore, String keystorePassword, @DefaultValue("PKCS12") String keystoreType,
                      String sslBundle) {

        public boolean on() {
            return truststore != null || keystore != null || (sslBundle != null && !sslBundle.isBlank());
        }
    }
}
