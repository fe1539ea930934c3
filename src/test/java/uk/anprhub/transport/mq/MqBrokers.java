package uk.anprhub.transport.mq;

import uk.anprhub.support.FreePorts;
import ch.qos.logback.classic.Level;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;

/**
 * Real brokers in the test JVM, no Docker: a KRaft Kafka broker (spring-kafka-test) and an MQTT 5 broker (Apache
 * ActiveMQ Artemis with its MQTT protocol; Moquette 0.17 speaks MQTT 3.1.1 only, and camel-paho-mqtt5 is MQTT 5).
 */
public final class MqBrokers implements AutoCloseable {

    public final EmbeddedKafkaKraftBroker kafka;
    public final EmbeddedActiveMQ artemis;
    public final String mqttUrl;

    private MqBrokers(EmbeddedKafkaKraftBroker kafka, EmbeddedActiveMQ artemis, String mqttUrl) {
        this.kafka = kafka;
        this.artemis = artemis;
        this.mqttUrl = mqttUrl;
    }

    /** Starts both; {@code topics} are created with {@code partitions} partitions each. */
    public static MqBrokers start(int partitions, String... topics) throws Exception {
        quiet("org.apache.kafka", "kafka", "state.change.logger", "org.apache.activemq", "org.apache.zookeeper");
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, partitions, topics);
        kafka.afterPropertiesSet();
        int port = FreePorts.next();
        EmbeddedActiveMQ artemis = artemis(port);
        return new MqBrokers(kafka, artemis, "tcp://127.0.0.1:" + port);
    }

    /** An MQTT 5 broker (Artemis, no persistence, no security) on 127.0.0.1:{@code port}, started. */
    public static EmbeddedActiveMQ artemis(int port) throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("anpr-artemis");
        config.setBrokerInstance(dir.toFile()); // paging etc. never under the working directory
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setLargeMessagesDirectory(dir.resolve("large").toString());
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + port + "?protocols=MQTT");
        EmbeddedActiveMQ artemis = new EmbeddedActiveMQ();
        artemis.setConfiguration(config);
        artemis.start();
        return artemis;
    }

    public String kafkaBrokers() {
        return kafka.getBrokersAsString();
    }

    /** Broker logs at WARN (they start before Spring Boot configures logging, whose default would be DEBUG). */
    static void quiet(String... loggers) {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            for (String name : loggers) {
                ctx.getLogger(name).setLevel(Level.WARN);
            }
            if (ctx.getLogger("ROOT").getLevel() == null || ctx.getLogger("ROOT").getLevel().toInt() < Level.INFO_INT) {
                ctx.getLogger("ROOT").setLevel(Level.INFO);
            }
        }
    }


    @Override
    public void close() throws Exception {
        try {
            artemis.stop();
        } finally {
            kafka.destroy();
        }
    }
}
