package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The canonical HTTP feed end to end: real HTTP, the real hub, real PostgreSQL. */
class IngestHttpIT extends HubIT {

    @org.springframework.beans.factory.annotation.Autowired
    IngestService ingestService;

    @Test
    void theEmbeddedStoreFlushesEveryCommitBeforeTheCameraIsAcknowledged() {
        // zonky starts PostgreSQL with fsync and synchronous_commit off: a machine crash would lose acknowledged reads
        assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
        assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("on");
    }

    @Test
    void thousandReadsFromTwentyClientsAreStoredOnceAndRepeatsAreDuplicates() throws Exception {
        List<String> reads = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            reads.add(TestReads.read());
        }
        double duplicatesBefore = metric("anpr_reads_duplicate_total{feed=\"nas-json\"}");

        List<HttpResponse<String>> first = sendAll(reads, 20);
        List<UUID> ids = new ArrayList<>();
        for (HttpResponse<String> r : first) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.get("stored").asInt()).isEqualTo(1);
            ids.add(UUID.fromString(body.get("readIds").get(0).asText()));
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(1000);
        assertThat(countReads(ids)).isEqualTo(1000);

        List<HttpResponse<String>> again = sendAll(reads, 20);
        for (HttpResponse<String> r : again) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("duplicates").asInt()).isEqualTo(1);
            assertThat(json(r).get("stored").asInt()).isZero();
        }
        assertThat(countReads(ids)).isEqualTo(1000);
        assertThat(metric("anpr_reads_duplicate_total{feed=\"nas-json\"}") - duplicatesBefore).isEqualTo(1000);
    }

    @Test
    void anArrayIsOneMessageAndItsBadReadIsQuarantinedAlone() throws Exception {
        String good = TestReads.read();
        String bad = TestReads.read(TestReads.plate(), Instant.now().plusSeconds(3600), 1);
        HttpResponse<String> r = postJson("/ingest/nas-json", "[" + good + "," + bad + "]");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("received").asInt()).isEqualTo(2);
        assertThat(body.get("stored").asInt()).isEqualTo(1);
        JsonNode problem = body.get("quarantined").get(0);
        assertThat(problem.get("index").asInt()).isEqualTo(1);
        assertThat(problem.get("reason").asText()).isEqualTo("future-capture-time");
        assertThat(jdbc.queryForObject("select read_index from quarantine where id = ?", Integer.class,
                problem.get("quarantineId").asLong())).isEqualTo(1);
    }

    @Test
    void copiesArrivingAtTheSameMomentAreStoredOnce() throws Exception {
        String read = TestReads.read();
        int copies = 24;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return postJson("/ingest/nas-json", read);
                }));
            }
            go.countDown();
            int stored = 0, duplicates = 0;
            for (Future<HttpResponse<String>> f : futures) {
                JsonNode body = json(f.get());
                stored += body.get("stored").asInt();
                duplicates += body.get("duplicates").asInt();
            }
            assertThat(stored).isEqualTo(1);
            assertThat(duplicates).isEqualTo(copies - 1);
        } finally {
            pool.shutdownNow();
        }
        String vrm = JSON.readTree(read).get("vrm").asText().replace(" ", "");
        assertThat(jdbc.queryForObject("select count(*) from nas_read where vrm = ?", Integer.class, vrm)).isEqualTo(1);
    }

    static Stream<Arguments> invalidReads() {
        String now = Instant.now().minusSeconds(60).toString();
        return Stream.of(
                Arguments.of("missing-vrm", "{\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"MPS-DEMO-0001\"}"),
                Arguments.of("no-plate", "{\"vrm\":\"UNKNOWN\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"MPS-DEMO-0001\"}"),
                Arguments.of("partial-vrm", "{\"vrm\":\"" + TestReads.plate().substring(0, 6) + "?\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"MPS-DEMO-0001\"}"),
                Arguments.of("invalid-vrm", "{\"vrm\":\"ABCDEFGHIJKLMNOPQRS\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"MPS-DEMO-0001\"}"),
                Arguments.of("missing-capture-time", "{\"vrm\":\"" + TestReads.plate() + "\",\"cameraId\":\"MPS-DEMO-0001\"}"),
                Arguments.of("invalid-capture-time", "{\"vrm\":\"" + TestReads.plate() + "\",\"captureTimeUtc\":\"yesterday\",\"cameraId\":\"MPS-DEMO-0001\"}"),
                Arguments.of("future-capture-time", TestReads.read(TestReads.plate(), Instant.now().plusSeconds(600), 1)),
                Arguments.of("expired-capture-time", TestReads.read(TestReads.plate(), Instant.now().minusSeconds(8 * 86400), 1)),
                Arguments.of("unknown-camera", "{\"vrm\":\"" + TestReads.plate() + "\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"NO-SUCH-CAMERA\"}"),
                Arguments.of("malformed-field", "{\"vrm\":\"" + TestReads.plate() + "\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"MPS-DEMO-0001\",\"confidencePct\":\"high\"}"),
                Arguments.of("malformed-field", "{\"vrm\":\"" + TestReads.plate() + "\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"MPS-DEMO-0001\",\"lane\":{\"no\":1}}"),
                Arguments.of("invalid-image", "{\"vrm\":\"" + TestReads.plate() + "\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"MPS-DEMO-0001\",\"plateImage\":{\"data\":\"not*base64!\"}}"),
                Arguments.of("undecodable", "{\"vrm\":\"AB12CDE\",\"captureTimeUtc\":"),
                Arguments.of("mapping-failed", "42"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidReads")
    void invalidInputIsQuarantinedWithItsRawPayloadAndAnswered4xx(String reason, String body) throws Exception {
        HttpResponse<String> r = postJson("/ingest/nas-json", body);
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode answer = json(r);
        assertThat(answer.get("error").asText()).isEqualTo(reason);
        assertThat(answer.get("detail").asText()).isNotBlank();
        long id = answer.get("quarantined").get(0).get("quarantineId").asLong();
        assertThat(jdbc.queryForObject("select reason from quarantine where id = ?", String.class, id)).isEqualTo(reason);
        assertThat(jdbc.queryForObject("select payload from quarantine where id = ?", byte[].class, id))
                .isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBodyThatIsNotJsonGets415AndIsQuarantined() throws Exception {
        for (String type : new String[]{"text/plain", "application/x-www-form-urlencoded", null}) {
            HttpResponse<String> r = post("/ingest/nas-json", type, "hello".getBytes(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(type + ": " + r.body()).isIn(415, 422);
            JsonNode answer = json(r);
            long id = answer.get("quarantined").get(0).get("quarantineId").asLong();
            assertThat(jdbc.queryForObject("select payload from quarantine where id = ?", byte[].class, id))
                    .isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void anOversizeBodyGets413AndIsNotReadWhole() throws Exception {
        byte[] big = new byte[1_500_000];
        Arrays.fill(big, (byte) ' ');
        HttpResponse<String> r = post("/ingest/nas-json", "application/json", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).isEqualTo("too-large");
    }

    @Test
    void anUnknownFeedIs404() throws Exception {
        HttpResponse<String> r = postJson("/ingest/no-such-feed", TestReads.read());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("unknown-feed");
    }

    @Test
    void batchesOfAHundredAreStoredWithTheirRawMessage() throws Exception {
        HttpResponse<String> r = postJson("/ingest/nas-json", TestReads.array(100));
        assertThat(r.statusCode()).isEqualTo(200);
        List<UUID> ids = new ArrayList<>();
        json(r).get("readIds").forEach(n -> ids.add(UUID.fromString(n.asText())));
        assertThat(countReads(ids)).isEqualTo(100);
        assertThat(jdbc.queryForObject("select count(distinct raw_id) from nas_read where read_id = any(?::uuid[])",
                Integer.class, (Object) ids.stream().map(UUID::toString).toArray(String[]::new))).isEqualTo(1);
        // What the store keeps is the canonical read of the contract.
        for (String body : jdbc.queryForList("select body::text from nas_read where read_id = any(?::uuid[])", String.class,
                (Object) ids.stream().map(UUID::toString).toArray(String[]::new))) {
            assertThat(uk.anprhub.model.CanonicalSchema.errors(JSON.readTree(body))).isEmpty();
        }
    }

    @Test
    void metricsAndHealthAreOpenButTheConsoleIsNot() throws Exception {
        assertThat(postJson("/ingest/nas-json", TestReads.read()).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus").body()).contains("anpr_reads_stored_total");
        assertThat(get("/actuator/hawtio/").statusCode()).isIn(302, 401);
        assertThat(get("/api/v1/anything").statusCode()).isEqualTo(401);
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void platesNeverReachTheLog(org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        String plate = TestReads.plate();
        String clean = plate.replace(" ", "");
        Instant now = Instant.now().minusSeconds(10);
        ingestService.quarantineLog().flushAll(); // the first refusal of each reason below is logged as it happens
        String[] bodies = {
                TestReads.read(plate, now, 1),                                     // stored
                TestReads.read(plate, now.plusSeconds(7200), 1),                   // future
                "{\"vrm\":\"" + plate + "\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"NOPE\"}", // unknown camera
                "{\"vrm\":\"" + plate + "\",\"captureTimeUtc\":}",                 // undecodable
                "{\"vrm\":\"" + plate + "\",\"captureTimeUtc\":\"" + plate + "\",\"cameraId\":\"MPS-DEMO-0001\"}", // bad time
                "{\"vrm\":\"" + plate + "\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"MPS-DEMO-0001\",\"lane\":\"" + plate + "\"}"};
        for (String body : bodies) {
            postJson("/ingest/nas-json", body);
        }
        post("/ingest/nas-json", "text/plain", plate.getBytes(StandardCharsets.UTF_8));
        assertThat(output.getAll()).contains("quarantined").doesNotContain(plate).doesNotContain(clean);
    }

    private List<HttpResponse<String>> sendAll(List<String> reads, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (String read : reads) {
                futures.add(pool.submit(() -> postJson("/ingest/nas-json", read)));
            }
            List<HttpResponse<String>> out = Collections.synchronizedList(new ArrayList<>());
            for (Future<HttpResponse<String>> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private int countReads(List<UUID> ids) {
        return jdbc.queryForObject("select count(*) from nas_read where read_id = any(?::uuid[])", Integer.class,
                (Object) ids.stream().map(UUID::toString).toArray(String[]::new));
    }
}
