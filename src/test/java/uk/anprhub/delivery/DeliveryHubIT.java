package uk.anprhub.delivery;

import uk.anprhub.cli.ReplayCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import picocli.CommandLine;
import uk.anprhub.simulator.nas.Faults;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.support.TestReads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole hub (own context: its nas target points at a simulator on a random port) over real HTTP: dead letters
 * and replay through the API and the replay command, 401 → paused + health DEGRADED, pause/resume by API and by the
 * route (as Hawtio does it, through Jolokia), the contract metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        "anpr.demo=true", // posts to /ingest/nas-json (a connector id as a feed): demo mode
        "anpr.users[0].name=ops", "anpr.users[0].roles[0]=ops",
        // bcrypt of "ops-test-password" (tests only)
        "anpr.users[0].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.delivery.stats-interval=200ms",
        "anpr.delivery.targets.nas.linger=50ms",
        "anpr.delivery.targets.nas.retry.initial=100ms",
        "anpr.delivery.targets.nas.retry.max=1s",
        "anpr.delivery.targets.nas.breaker.open-wait=200ms",
        "anpr.delivery.targets.nas.breaker.max-open-wait=1s"})
class DeliveryHubIT {

    static final NasSimulator SIM;
    static final Path DATA;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static {
        try {
            SIM = NasSimulator.start(0);
            DATA = Files.createTempDirectory("anpr-delivery-it");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        registry.add("anpr.data-dir", DATA::toString);
        registry.add("anpr.nas.url", SIM::nasUrl); // as ANPR_NAS_URL would set it
    }

    @AfterAll
    static void stopSim() {
        SIM.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    DeliveryService delivery;

    @BeforeEach
    void settle() throws Exception {
        SIM.faults(Faults.NONE);
        delivery.resume("nas", "test set-up");
        await(Duration.ofSeconds(20), () -> pending() == 0, "backlog of earlier tests delivered");
        SIM.reset();
    }

    /** nas's backlog as the gauges see it (reads past the cursor, in leased batches, pending rows). */
    long pending() {
        try {
            return new DeliveryStore(jdbc.getDataSource()).figures("nas").backlog();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rejectedReadsAreDeadLetteredByReasonAndAReplayDeliversThemOnceThePatternIsLifted() throws Exception {
        SIM.faults(Faults.NONE.merge(JSON.createObjectNode().put("rejectVrmPattern", "^ZZ")));
        Instant captured = Instant.now().minusSeconds(60);
        List<String> reads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            reads.add(TestReads.read("ZZ" + TestReads.plate().substring(2), captured.plusMillis(i), 7));
            reads.add(TestReads.read(TestReads.plate().replace("ZZ", "AZ"), captured.plusMillis(i), 3));
        }
        assertThat(post("/ingest/nas-json", "[" + String.join(",", reads) + "]").statusCode()).isEqualTo(200);
        await(Duration.ofSeconds(20), () -> SIM.stat("uniqueReadIds") == 5 && pending() == 0, "good reads delivered");

        String filter = "/api/v1/delivery/dead-letters?target=nas&reason=vrm-rejected&camera=MPS-DEMO-0007&from="
                + captured.minusSeconds(600);
        JsonNode dead = JSON.readTree(asOps(filter).body());
        assertThat(dead).hasSize(5);
        assertThat(dead.get(0).get("response").asText()).contains("\"status\":\"REJECTED\"");
        assertThat(dead.get(0).get("cameraId").asText()).isEqualTo("MPS-DEMO-0007");
        assertThat(JSON.readTree(asOps(filter.replace("from=", "to=")).body())).isEmpty(); // captured after "to"
        await(Duration.ofSeconds(5), () -> metric("anpr_dead_letters{target=\"nas\"}") == 5, "dead-letter gauge 5");
        assertThat(metric("anpr_reads_delivered_total{target=\"nas\"}")).isGreaterThanOrEqualTo(5);
        assertThat(metric("anpr_delivery_backlog{target=\"nas\"}")).isZero();
        assertThat(prometheus()).contains("anpr_delivery_lag_seconds{target=\"nas\"}");

        SIM.faults(Faults.NONE.merge(JSON.createObjectNode().putNull("rejectVrmPattern")));
        HttpResponse<String> replay = asOps("/api/v1/delivery/replay/dead-letters?target=nas&reason=vrm-rejected&why="
                + URLEncoder.encode("NAS lifted the VRM rule", StandardCharsets.UTF_8), "POST");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).get("queued").asInt()).isEqualTo(5);
        await(Duration.ofSeconds(20), () -> SIM.stat("uniqueReadIds") == 10, "replayed reads delivered");
        await(Duration.ofSeconds(5), () -> metric("anpr_dead_letters{target=\"nas\"}") == 0, "dead-letter gauge back to 0");
        assertThat(SIM.stat("duplicates")).isZero();
        assertThat(jdbc.queryForObject("""
                select count(*) from audit_log where action = 'delivery.replay' and actor = 'ops'
                and detail->>'count' = '5' and detail->>'why' = 'NAS lifted the VRM rule' and detail->'filter'->>'reason' = 'vrm-rejected'""",
                Long.class)).isEqualTo(1);
    }

    @Test
    void unauthorizedPausesTheTargetDegradesHealthAndDeadLettersNothing() throws Exception {
        SIM.faults(Faults.NONE.withMode(Faults.Mode.UNAUTHORIZED));
        assertThat(post("/ingest/nas-json", TestReads.array(3)).statusCode()).isEqualTo(200);
        await(Duration.ofSeconds(10), () -> delivery.worker("nas").paused(), "target paused");
        JsonNode status = JSON.readTree(asOps("/api/v1/delivery/targets/nas").body());
        assertThat(status.get("pausedReason").asText()).startsWith("auth: HTTP 401");
        assertThat(status.get("healthy").asBoolean()).isFalse();
        HttpResponse<String> health = get("/actuator/health"); // issue 15.1: degraded, never DOWN for a load balancer
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).at("/components/delivery/components/nas/status").asText()).isEqualTo("DEGRADED");
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        await(Duration.ofSeconds(5), () -> routeStatus() == ServiceStatus.Suspended, "route delivery-nas suspended");
        assertThat(pending()).isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from dead_letter where status = 'DEAD'", Long.class)).isZero();
        assertThat(jdbc.queryForObject("select paused from delivery_target where id = 'nas'", Boolean.class)).isTrue();

        SIM.faults(Faults.NONE);
        assertThat(asOps("/api/v1/delivery/targets/nas/resume?why=certificate%20renewed", "POST").statusCode()).isEqualTo(200);
        await(Duration.ofSeconds(10), () -> SIM.stat("uniqueReadIds") == 3, "delivered after resume");
        await(Duration.ofSeconds(5), () -> routeStatus() == ServiceStatus.Started, "route started again");
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void pauseAndResumeThroughTheApiAndThroughTheRouteAsHawtioDoes() throws Exception {
        HttpResponse<String> paused = asOps("/api/v1/delivery/targets/nas/pause?why=NAS%20maintenance", "POST");
        assertThat(JSON.readTree(paused.body()).get("paused").asBoolean()).isTrue();
        await(Duration.ofSeconds(5), () -> routeStatus() == ServiceStatus.Suspended, "route suspended by the API pause");
        assertThat(post("/ingest/nas-json", TestReads.array(2)).statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofMillis(2500)).until(() -> SIM.stat("uniqueReadIds") == 0);
        assertThat(SIM.stat("uniqueReadIds")).isZero();

        // Hawtio resumes a route through Jolokia → the route's JMX operation
        assertThat(jolokia("resume").statusCode()).isEqualTo(200);
        await(Duration.ofSeconds(10), () -> SIM.stat("uniqueReadIds") == 2, "delivered after the route was resumed");
        assertThat(delivery.worker("nas").paused()).isFalse();
        assertThat(jdbc.queryForObject("select paused from delivery_target where id = 'nas'", Boolean.class)).isFalse();

        assertThat(jolokia("suspend").statusCode()).isEqualTo(200);
        await(Duration.ofSeconds(5), () -> delivery.worker("nas").paused(), "target paused by the route suspension");
        assertThat(jdbc.queryForObject("select paused_reason from delivery_target where id = 'nas'", String.class))
                .contains("suspended");
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'delivery.pause' and actor = 'ops'",
                Long.class)).isGreaterThanOrEqualTo(2);
        asOps("/api/v1/delivery/targets/nas/resume?why=done", "POST");
        await(Duration.ofSeconds(5), () -> routeStatus() == ServiceStatus.Started, "route started by the API resume");
    }

    @Test
    void theReplayCommandResendsACaptureTimeRangeAndIsAudited() throws Exception {
        Instant t = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<String> reads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            reads.add(TestReads.read(TestReads.plate(), t.plusMillis(i), 9));
        }
        post("/ingest/nas-json", "[" + String.join(",", reads) + "]");
        await(Duration.ofSeconds(10), () -> SIM.stat("uniqueReadIds") == 3, "delivered");
        SIM.reset(); // "NAS lost them"

        Path password = Files.writeString(DATA.resolve("password"), "ops-test-password\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new ReplayCommand()).execute("--hub", "http://localhost:" + port, "--user", "ops",
                    "--password-file", password.toString(), "--from", t.minusSeconds(1).toString(), "--to",
                    t.plusSeconds(1).toString(), "--camera", "MPS-DEMO-0009", "--why", "NAS reported data loss for 3h ago");
        } finally {
            System.setOut(stdout);
        }
        assertThat(exit).as(out.toString()).isZero();
        // System.out is the JVM's: the hub's own log lines from other threads may land in it while the command runs
        String answer = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
        assertThat(JSON.readTree(answer).get("queued").asInt()).as(out.toString()).isEqualTo(3);
        await(Duration.ofSeconds(10), () -> SIM.stat("uniqueReadIds") == 3, "re-sent");
        assertThat(jdbc.queryForObject("""
                select count(*) from audit_log where action = 'delivery.replay' and actor = 'ops' and detail->>'kind' = 'range'
                and detail->>'count' = '3' and detail->'filter'->>'cameraId' = 'MPS-DEMO-0009'""", Long.class)).isEqualTo(1);

        assertThat(new CommandLine(new ReplayCommand()).execute("--hub", "http://localhost:" + port, "--target", "nope",
                "--password-file", password.toString(), "--dead-letters", "--why", "x")).isEqualTo(2);
    }

    // --- helpers

    ServiceStatus routeStatus() {
        return camel.getRouteController().getRouteStatus("delivery-nas");
    }

    HttpResponse<String> jolokia(String operation) throws Exception {
        String mbean = "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=%22delivery-nas%22";
        String exec = "{\"type\":\"exec\",\"mbean\":\"" + mbean.replace("%22", "\\\"") + "\",\"operation\":\"" + operation + "()\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/jolokia"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("ops:ops-test-password".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(exec)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(r.body()).get("status").asInt()).as(r.body()).isEqualTo(200);
        return r;
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> asOps(String path) throws IOException, InterruptedException {
        return asOps(path, "GET");
    }

    HttpResponse<String> asOps(String path, String method) throws IOException, InterruptedException {
        String basic = java.util.Base64.getEncoder().encodeToString("ops:ops-test-password".getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Basic " + basic)
                .header("X-Anpr-Client", "test").method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    String prometheus() {
        try {
            return get("/actuator/prometheus").body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    double metric(String sample) {
        for (String line : prometheus().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return -1;
    }

    static void await(Duration max, BooleanSupplier condition, String what) throws InterruptedException {
        org.awaitility.Awaitility.await(what).atMost(max).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25))
                .until(condition::getAsBoolean);
    }
}
