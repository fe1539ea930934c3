package uk.anprhub.transport.mq;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;


/**
 * The whole hub with its Kafka and MQTT feeds switched on, against real brokers started here ({@link MqBrokers}),
 * with its embedded PostgreSQL in a fresh folder and its DataSource behind a {@link StoreSwitch}. One Spring context
 * shared by the MQ tests; not {@code HubIT}'s (different properties, own data folder, and the store switch).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        "anpr.cameras.location=src/test/resources/cameras", // the demo registry, a test fixture: not demo mode
        "anpr.kafka.enabled=true",
        "anpr.kafka.retry-backoff=200ms",
        "anpr.kafka.retry-backoff-max=1s",
        "anpr.mqtt.enabled=true",
        "anpr.mqtt.client-id=anpr-hub-it",
        "anpr.mqtt.retry-backoff=300ms",
        "anpr.mqtt.retry-backoff-max=1s",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.kafka=WARN",
        "logging.level.state.change.logger=WARN",
        "logging.level.org.apache.activemq=WARN"})
@Import(MqHubIT.Store.class)
public abstract class MqHubIT {

    public static final String TOPIC = "anpr.it.nas-json";
    public static final String GROUP = "anpr-hub-it-nas-json";
    static final MqBrokers BROKERS;
    private static final Path DATA;

    static {
        try {
            BROKERS = MqBrokers.start(2, TOPIC);
            DATA = Files.createTempDirectory("anpr-hub-mq-it");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                BROKERS.close();
            } catch (Exception ignored) {
                // the JVM is going away
            }
        }));
    }

    @DynamicPropertySource
    static void brokers(DynamicPropertyRegistry registry) {
        registry.add("anpr.data-dir", DATA::toString);
        registry.add("anpr.kafka.brokers", BROKERS::kafkaBrokers);
        registry.add("anpr.kafka.nas-json.topic", () -> TOPIC);
        registry.add("anpr.kafka.nas-json.group-id", () -> GROUP);
        registry.add("anpr.mqtt.broker-url", () -> BROKERS.mqttUrl);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Store {
        @Bean
        static StoreSwitch.Installer storeSwitchInstaller() {
            return new StoreSwitch.Installer();
        }
    }

    @Autowired
    protected CamelContext camel;

    @Autowired
    private DataSource dataSource;

    /** The store switch of this context: {@code down()} makes PostgreSQL unavailable to the hub. */
    protected StoreSwitch store() {
        return (StoreSwitch) dataSource;
    }

    /** Queries that bypass the switch. */
    protected JdbcTemplate db() {
        return new JdbcTemplate(store().real());
    }

    @AfterEach
    void storeBackUp() {
        store().up();
    }

    protected static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        org.awaitility.Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }

    protected int countVrms(java.util.Collection<String> vrms) {
        return db().queryForObject("select count(*) from nas_read where vrm = any(?)", Integer.class,
                (Object) vrms.stream().map(v -> v.replace(" ", "")).toArray(String[]::new));
    }
}
