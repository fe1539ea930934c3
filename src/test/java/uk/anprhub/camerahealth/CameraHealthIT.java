package uk.anprhub.camerahealth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.camera.CameraRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Camera health on a running hub (own context: small {@code anpr.camera-health.*} bounds, its own camera registry,
 * real PostgreSQL), reads posted over HTTP to the canonical feed: a camera that stops goes silent within its bound
 * (metric, health component DEGRADED, readiness still UP) and ok when it sends again; a clock 30 s off is flagged;
 * the API is for role ops only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        "anpr.demo=true", // posts to /ingest/nas-json (a connector id as a feed): demo mode
        "anpr.camera-health.floor=2s",
        "anpr.camera-health.factor=3",
        "anpr.camera-health.drift-window=5",
        "anpr.camera-health.evaluate-every=200ms",
        "anpr.camera-health.quality-window=20",
        "anpr.camera-health.quality-min-reads=10",
        "anpr.users[0].name=ops", "anpr.users[0].roles[0]=ops",
        // bcrypt of "ops-test-password" (tests only)
        "anpr.users[0].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[1].name=auditor", "anpr.users[1].roles[0]=auditor",
        "anpr.users[1].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CameraHealthIT {

    static final String STOPS = "CAM-HEALTH-STOPS";
    static final String DRIFTS = "CAM-HEALTH-DRIFTS";
    static final String IDLE = "CAM-HEALTH-IDLE";
    static final String POOR = "CAM-HEALTH-POOR";
    static final Path DATA;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static {
        try {
            DATA = Files.createTempDirectory("anpr-camera-health-it");
            Path cameras = Files.createDirectories(DATA.resolve("cameras"));
            StringBuilder yaml = new StringBuilder("cameras:\n");
            for (String id : new String[]{STOPS, DRIFTS, IDLE, POOR}) {
                yaml.append("  - { cameraId: ").append(id).append(", sourceId: MPS-DEMO, feedId: MPS, vendor: nas, timeZone: Europe/London }\n");
            }
            Files.writeString(cameras.resolve("health.yaml"), yaml);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        registry.add("anpr.data-dir", DATA::toString);
        registry.add("anpr.cameras.location", () -> DATA.resolve("cameras").toString());
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CameraRegistry registry;
    @Autowired
    CameraHealthProperties props;

    @Test
    @Order(1)
    void aCameraThatStopsIsSilentWithinItsBoundDegradesHealthButNotReadinessAndIsOkWhenItSendsAgain() throws Exception {
        assertThat(camera(IDLE).get("state").asText()).isEqualTo("never-seen");
        for (int i = 0; i < 5; i++) {
            send(STOPS, Instant.now());
            Thread.sleep(100); // reads spaced as a camera sends them
        }
        await(STOPS + " ok").atMost(Duration.ofSeconds(20)).until(() -> camera(STOPS).get("state").asText().equals("ok"));
        Instant lastRead = Instant.parse(camera(STOPS).get("lastReadAt").asText()); // the hub's received time
        long bound = camera(STOPS).get("silentAfterSeconds").asLong();
        assertThat(bound).as("floor 2 s: reads 100 ms apart never make it longer").isEqualTo(2);

        await(STOPS + " silent").atMost(Duration.ofSeconds(30)).until(() -> camera(STOPS).get("state").asText().equals("silent"));
        Duration seen = Duration.between(lastRead, Instant.now());
        System.out.println("CameraHealthIT: silent seen " + seen.toMillis() + " ms after the last read (bound 2 s, evaluated every 200 ms)");
        assertThat(seen).as("not before its bound").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        // within its bound: the bound plus evaluation periods; generous, so a loaded machine only makes it slower
        assertThat(seen).as("soon after its bound").isLessThan(Duration.ofSeconds(2 + 15));
        assertThat(camera(IDLE).get("state").asText()).as("never sent: not silent").isEqualTo("never-seen");
        assertThat(metric("anpr_camera_silent")).isEqualTo(1);
        assertThat(metric("anpr_camera_state{camera=\"" + STOPS + "\"}")).isEqualTo(1);
        assertThat(metric("anpr_camera_state{camera=\"" + IDLE + "\"}")).isEqualTo(-1);
        assertThat(prometheus()).contains("# HELP anpr_camera_silent ");

        JsonNode health = JSON.readTree(asOps("/actuator/health").body());
        assertThat(health.at("/components/cameras/status").asText()).isEqualTo("DEGRADED");
        assertThat(health.at("/components/cameras/details/silentCameras/0").asText()).isEqualTo(STOPS);
        assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
        HttpResponse<String> readiness = get("/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(readiness.body()).get("status").asText()).isEqualTo("UP");
        assertThat(get("/actuator/health", null).statusCode()).as("DEGRADED answers 200").isEqualTo(200);

        send(STOPS, Instant.now());
        await(STOPS + " ok again").atMost(Duration.ofSeconds(20)).until(() -> camera(STOPS).get("state").asText().equals("ok"));
        await("anpr_camera_silent 0").atMost(Duration.ofSeconds(10)).until(() -> metric("anpr_camera_silent") == 0);
        assertThat(JSON.readTree(asOps("/actuator/health").body()).at("/components/cameras/status").asText()).isEqualTo("UP");
    }

    @Test
    @Order(2)
    void aCameraWhoseClockIsThirtySecondsAheadIsFlagged() throws Exception {
        for (int i = 0; i < 5; i++) {
            send(DRIFTS, Instant.now().plusSeconds(30));
        }
        await(DRIFTS + " drifting").atMost(Duration.ofSeconds(20)).until(() -> camera(DRIFTS).get("drifting").asBoolean());
        JsonNode c = camera(DRIFTS);
        assertThat(c.get("driftSeconds").asDouble()).isBetween(-35.0, -29.0);
        assertThat(metric("anpr_camera_drifting")).isEqualTo(1);
        assertThat(camera(STOPS).get("drifting").asBoolean()).as("a good clock").isFalse();
        assertThat(Math.abs(camera(STOPS).get("driftSeconds").asDouble())).isLessThan(10);
    }

    @Test
    @Order(3)
    void theApiIsForRoleOpsAndNamesNoPlates() throws Exception {
        assertThat(get("/api/v1/cameras/health", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/cameras/health", "auditor").statusCode()).isEqualTo(403);
        HttpResponse<String> ops = asOps("/api/v1/cameras/health");
        assertThat(ops.statusCode()).isEqualTo(200);
        assertThat(ops.body()).doesNotContain("CH1");
        JsonNode answer = JSON.readTree(ops.body());
        assertThat(answer.get("cameras")).extracting(n -> n.get("cameraId").asText()).containsExactly(DRIFTS, IDLE, POOR, STOPS);
    }

    @Test
    @Order(4)
    void aRestartedHubRebuildsTheLastReadPerCameraFromTheStore() throws Exception {
        // its last read older than the floor first (the running hub says so), so the rebuilt state is known
        await(STOPS + " silent").atMost(Duration.ofSeconds(30)).until(() -> camera(STOPS).get("state").asText().equals("silent"));
        Instant stored = jdbc.queryForObject("select max(received_at) from nas_read where camera_id = ?", java.sql.Timestamp.class, STOPS)
                .toInstant();
        try (CameraHealthService fresh = new CameraHealthService(new CameraHealth(props, Clock.systemUTC()), registry, props)) {
            fresh.seed(jdbc, Clock.systemUTC()); // what the start-up does, here synchronously
            CameraStatus stops = fresh.statuses().stream().filter(c -> c.cameraId().equals(STOPS)).findFirst().orElseThrow();
            assertThat(stops.lastReadAt()).isEqualTo(stored);
            assertThat(stops.state()).as("its last read is older than the 2 s floor").isEqualTo("silent");
            assertThat(fresh.statuses()).filteredOn(c -> c.cameraId().equals(IDLE)).singleElement()
                    .satisfies(c -> assertThat(c.state()).isEqualTo("never-seen"));
        }
    }

    @Test
    @Order(5)
    void aCameraSendingLowConfidenceReadsIsFlaggedPoorOnceItHasEnoughReads() throws Exception {
        assertThat(metric("anpr_camera_poor_reads")).isEqualTo(0);
        for (int i = 0; i < 9; i++) { // 4 of 9 below low-confidence (60): 44 %, but fewer than quality-min-reads (10)
            send(POOR, Instant.now(), i < 4 ? 40 : 90);
        }
        await(POOR + " 9 reads").atMost(Duration.ofSeconds(20)).until(() -> camera(POOR).get("qualityReads").asInt() == 9);
        org.awaitility.Awaitility.await().during(Duration.ofMillis(1000)).atMost(Duration.ofMillis(3000)).until(() -> !camera(POOR).get("poorReads").asBoolean()); // several evaluations
        assertThat(camera(POOR).get("poorReads").asBoolean()).as("9 reads: not judged").isFalse();

        send(POOR, Instant.now(), 40); // 10 reads, 5 low: 50 % > 30 %
        await(POOR + " poor").atMost(Duration.ofSeconds(20)).until(() -> camera(POOR).get("poorReads").asBoolean());
        JsonNode c = camera(POOR);
        assertThat(c.get("lowConfidenceReads").asInt()).isEqualTo(5);
        assertThat(c.get("poorReadShare").asDouble()).isEqualTo(0.5);
        assertThat(c.get("state").asText()).as("a flag beside the state").isIn("ok", "silent");
        assertThat(metric("anpr_camera_poor_reads")).isEqualTo(1);
        assertThat(JSON.readTree(asOps("/api/v1/cameras/health").body()).get("poorReads").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(asOps("/actuator/health").body()).at("/components/cameras/details/poorReads").asLong())
                .isEqualTo(1);
        assertThat(camera(STOPS).get("poorReads").asBoolean()).isFalse();
        assertThat(metric("anpr_camera_quiet")).as("no baseline learned in a test: never judged").isEqualTo(0);

        for (int i = 0; i < 10; i++) { // good reads push the low ones out of the last 20: 5 of 20 = 25 %
            send(POOR, Instant.now(), 90);
        }
        await(POOR + " ok").atMost(Duration.ofSeconds(20)).until(() -> !camera(POOR).get("poorReads").asBoolean());
        assertThat(metric("anpr_camera_poor_reads")).isEqualTo(0);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    void send(String camera, Instant captured) throws Exception {
        send(camera, captured, 90);
    }

    void send(String camera, Instant captured, int confidence) throws Exception {
        String plate = "CH1 " + (char) ('A' + (int) (Math.random() * 26)) + (int) (Math.random() * 1000);
        String read = """
                {"vrm":"%s","captureTimeUtc":"%s","cameraId":"%s","confidencePct":%d,"direction":"TOWARDS","countryCode":"GBR"}"""
                .formatted(plate, captured.truncatedTo(ChronoUnit.MILLIS), camera, confidence);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/ingest/nas-json")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(read)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    JsonNode camera(String id) throws Exception {
        HttpResponse<String> r = asOps("/api/v1/cameras/health");
        assertThat(r.statusCode()).isEqualTo(200);
        for (JsonNode c : JSON.readTree(r.body()).get("cameras")) {
            if (c.get("cameraId").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError(id + " not in " + r.body());
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<String> asOps(String path) throws Exception {
        return get(path, "ops");
    }

    HttpResponse<String> get(String path, String user) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET();
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":ops-test-password").getBytes()));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String prometheus() throws Exception {
        return get("/actuator/prometheus", null).body();
    }

    double metric(String sample) throws Exception {
        for (String line : prometheus().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return Double.NaN;
    }
}
