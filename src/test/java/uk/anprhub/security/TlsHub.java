package uk.anprhub.security;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import uk.anprhub.simulator.nas.NasSimCommand;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One hub for the TLS tests (one Spring context shared by its subclasses): its web port serves HTTPS only
 * ({@code server.ssl.bundle}); it delivers over mutual TLS to a NAS simulator that demands a client certificate —
 * target {@code nas} directly, target {@code bof2} through an HTTP CONNECT proxy — and has two targets that must
 * fail: {@code nocert} (trusts the simulator, has no client certificate) and {@code rogue} (a self-signed client
 * certificate the simulator does not trust). Certificates are made with keytool in a temp folder.
 * <p>
 * The simulator and the proxy live as long as the JVM (daemon threads): the cached context may serve a later class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        "anpr.cameras.location=src/test/resources/cameras", // the demo registry, a test fixture: not demo mode
        "anpr.users[0].name=ops", "anpr.users[0].roles[0]=ops",
        // bcrypt of "ops-test-password" (tests only)
        "anpr.users[0].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        // a declared, keyed feed (sha256 of "camera-key-1")
        "anpr.feeds.tls-feed.connector=nas-json",
        "anpr.feeds.tls-feed.api-keys[0]=c6f793a2d38359c632c6e68ff098977f978b778ac000b460216de7dea8b7413d",
        "server.ssl.bundle=web",
        "anpr.delivery.stats-interval=200ms",
        "anpr.delivery.targets.nas.http.ssl-bundle=nas-client",
        "anpr.delivery.targets.bof2.enabled=true",
        "anpr.delivery.targets.bof2.http.ssl-bundle=nas-client",
        "anpr.delivery.targets.nocert.type=nas",
        "anpr.delivery.targets.nocert.enabled=true",
        "anpr.delivery.targets.nocert.http.ssl-bundle=trust-only",
        "anpr.delivery.targets.rogue.type=nas",
        "anpr.delivery.targets.rogue.enabled=true",
        "anpr.delivery.targets.rogue.http.ssl-bundle=rogue-client"})
abstract class TlsHub {

    static final String FEED_KEY = "camera-key-1";
    static final List<String> TARGETS = List.of("nas", "bof2", "nocert", "rogue");
    static final TestPki PKI;
    static final NasSimulator SIM;
    static final ConnectProxy PROXY;
    static final Path DATA;
    /** Every log event of the hub since the first test began (root logger, INFO and up). */
    static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    /** Every plate a test posted, as sent and as stored: none may appear in the log. */
    static final Set<String> PLATES = ConcurrentHashMap.newKeySet();
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        try {
            PKI = TestPki.create();
            SIM = NasSimulator.startTls(0, -1, NasSimCommand.sslContext(PKI.server(), PKI.trust(), PKI.password()));
            PROXY = new ConnectProxy();
            DATA = Files.createTempDirectory("anpr-tls-it");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("anpr.data-dir", DATA::toString);
        bundle(r, "web", PKI.server(), null);
        bundle(r, "nas-client", PKI.client(), PKI.trust());
        bundle(r, "trust-only", null, PKI.trust());
        bundle(r, "rogue-client", PKI.rogue(), PKI.trust());
        r.add("anpr.delivery.targets.nas.url", SIM::nasUrl);
        r.add("anpr.delivery.targets.bof2.url", SIM::bof2Url);
        r.add("anpr.delivery.targets.bof2.http.proxy", () -> "localhost:" + PROXY.port());
        r.add("anpr.delivery.targets.nocert.url", SIM::nasUrl);
        r.add("anpr.delivery.targets.rogue.url", SIM::nasUrl);
        for (String t : TARGETS) { // quick polls and retries, so failures show and deliveries land within seconds
            String p = "anpr.delivery.targets." + t + ".";
            r.add(p + "linger", () -> "50ms");
            r.add(p + "workers", () -> "1");
            r.add(p + "retry.initial", () -> "100ms");
            r.add(p + "retry.max", () -> "1s");
            r.add(p + "breaker.open-wait", () -> "200ms");
            r.add(p + "breaker.max-open-wait", () -> "1s");
        }
    }

    /** {@code spring.ssl.bundle.jks.<name>}: key store and/or trust store, PKCS12. */
    private static void bundle(DynamicPropertyRegistry r, String name, Path keyStore, Path trustStore) {
        String p = "spring.ssl.bundle.jks." + name + ".";
        if (keyStore != null) {
            r.add(p + "keystore.location", () -> keyStore.toUri().toString());
            r.add(p + "keystore.password", PKI::password);
            r.add(p + "keystore.type", () -> "PKCS12");
        }
        if (trustStore != null) {
            r.add(p + "truststore.location", () -> trustStore.toUri().toString());
            r.add(p + "truststore.password", PKI::password);
            r.add(p + "truststore.type", () -> "PKCS12");
        }
    }

    /** Trusts the test CA, presents no client certificate: a browser or camera talking to the hub's HTTPS port. */
    static final HttpClient HTTPS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .sslContext(NasSimCommand.sslContext(null, PKI.trust(), PKI.password())).build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void captureLog() {
        // After the context started (Spring Boot resets logback then); again if another context reset it since.
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("tls-it") == null) {
            LOG.setName("tls-it");
            LOG.setContext(root.getLoggerContext());
            LOG.start();
            root.addAppender(LOG);
        }
    }

    URI https(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    /** {@code n} fresh reads (plates remembered) as the nas-json feed's JSON array. */
    static String reads(int n) {
        List<String> reads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String plate = TestReads.plate();
            PLATES.add(plate);
            PLATES.add(plate.replace(" ", "")); // as stored
            reads.add(TestReads.read(plate, java.time.Instant.now().minusSeconds(60 + i), 1 + i % 10));
        }
        return "[" + String.join(",", reads) + "]";
    }

    HttpResponse<String> ingest(HttpClient client, URI uri, String json) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("X-Api-Key", FEED_KEY).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> asOps(String path) throws IOException, InterruptedException {
        String basic = java.util.Base64.getEncoder().encodeToString("ops:ops-test-password".getBytes());
        return HTTPS.send(HttpRequest.newBuilder(https(path)).header("Authorization", "Basic " + basic)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of a Prometheus sample line, or 0. */
    double metric(String sample) throws IOException, InterruptedException {
        for (String line : asOps("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    JsonNode health() throws IOException, InterruptedException {
        return JSON.readTree(asOps("/actuator/health").body());
    }

    /** The target's backlog as the gauges see it (reads past the cursor, in leased batches, pending rows). */
    long pending(String target) throws java.sql.SQLException {
        return new uk.anprhub.delivery.DeliveryStore(jdbc.getDataSource()).figures(target).backlog();
    }
}
