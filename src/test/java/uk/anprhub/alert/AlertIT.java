package uk.anprhub.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import uk.anprhub.simulator.nas.Faults;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.store.CommitListener;
import uk.anprhub.support.FreePorts;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Matching and alerts on a running hub (own context: a NAS simulator that is down throughout, a webhook target whose
 * receiver starts only mid-test, short camera-health bounds), reads posted over HTTP, the stream read over a real
 * socket: exact, wildcard and fuzzy hits within the bound, expiry and valid-from honoured, role filtering, resume
 * with Last-Event-ID, webhook down then up delivered once, acknowledgement, a hit the database refuses parked and
 * alerted once when it heals.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        "anpr.demo=true", // posts to /ingest/nas-json (a connector id as a feed): demo mode
        "anpr.camera-health.floor=2s", "anpr.camera-health.factor=2", "anpr.camera-health.evaluate-every=200ms",
        "anpr.alerts.webhooks.control-room.backoff=200ms", "anpr.alerts.webhooks.control-room.max-backoff=1s",
        "anpr.alerts.webhooks.control-room.max-attempts=1000", "anpr.alerts.poll=200ms", "anpr.alerts.parked-retry=500ms",
        "anpr.users[0].name=ops", "anpr.users[0].roles[0]=ops",
        // bcrypt of "ops-test-password" (tests only)
        "anpr.users[0].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[1].name=investigator", "anpr.users[1].roles[0]=investigator",
        "anpr.users[1].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[2].name=supervisor", "anpr.users[2].roles[0]=supervisor",
        "anpr.users[2].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[3].name=hotlists", "anpr.users[3].roles[0]=hotlist-manager",
        "anpr.users[3].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS"})
class AlertIT {

    static final String PASSWORD = "ops-test-password";
    /** From a read's POST answered to its hit on the stream (the 2005 national system's bar was four seconds). */
    static final Duration BOUND = Duration.ofSeconds(4);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final NasSimulator NAS;
    static final Path DATA;
    static final int RECEIVER_PORT = FreePorts.next();
    static final Map<String, AtomicInteger> RECEIVED = new ConcurrentHashMap<>();
    static HttpServer receiver;
    static boolean listsMade;

    static {
        try {
            NAS = NasSimulator.start(0);
            NAS.faults(Faults.NONE.withMode(Faults.Mode.DOWN)); // NAS down for the whole class: alerts must not need it
            DATA = Files.createTempDirectory("anpr-alert-it");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        registry.add("anpr.data-dir", DATA::toString);
        registry.add("anpr.nas.url", NAS::nasUrl);
        registry.add("anpr.alerts.webhooks.control-room.url", () -> "http://localhost:" + RECEIVER_PORT + "/hook");
    }

    @AfterAll
    static void stop() {
        NAS.close();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Matcher matcher;
    @Autowired
    HitStore hits;

    @BeforeEach
    void lists() throws Exception {
        if (listsMade) {
            return;
        }
        makeList("alert-inv", "investigator", true, """
                vrm,category,priority,markers,instructions,valid_from,expiry
                AL01EXA,stolen,5,FI,Stop the vehicle,,
                AL9*,wanted,20,,,,
                AL05SOL,insurance,60,,,,
                AL02EXP,stolen,1,,,,2020-01-31
                AL03FUT,stolen,1,,,2099-01-01,
                """);
        makeList("alert-sup", "supervisor", false, "vrm,category\nAL04SUP,wanted\n");
        listsMade = true;
    }

    private void makeList(String id, String role, boolean fuzzy, String csv) throws Exception {
        assertThat(send("hotlists", "POST", "/api/v1/hotlists", "application/json", """
                {"id":"%s","owner":"test","hitRole":"%s","fuzzy":%s}""".formatted(id, role, fuzzy)).statusCode()).isEqualTo(201);
        HttpResponse<String> r = send("hotlists", "POST", "/api/v1/hotlists/" + id + "/import?mode=replace", "text/csv", csv);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("active").asBoolean()).isTrue();
    }

    private HttpResponse<String> send(String user, String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes()))
                .header("X-Anpr-Client", "test")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private SseClient stream(String user, String lastEventId) throws Exception {
        SseClient c = new SseClient(HTTP, URI.create("http://localhost:" + port + "/api/v1/alerts/stream"), user, PASSWORD, lastEventId);
        assertThat(c.status).isEqualTo(200);
        return c;
    }

    private static final AtomicLong TICK = new AtomicLong();

    /** Posts reads of these plates (each a fresh capture time, so never a duplicate); answers when they are committed. */
    private long post(int camera, String... plates) throws Exception {
        List<String> reads = new ArrayList<>();
        for (String p : plates) {
            reads.add(TestReads.read(p, Instant.now().minusSeconds(30).plusMillis(TICK.incrementAndGet()), camera));
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/nas-json"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", reads) + "]"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return System.currentTimeMillis();
    }

    private double metric(String sample) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    @Test
    void exactWildcardAndFuzzyHitsReachTheStreamWithinTheBoundWhileExpiredAndNotYetValidEntriesDoNot() throws Exception {
        try (SseClient inv = stream("investigator", null)) {
            long sent = post(3, "AL01 EXA", "AL9 XYZ", "ALO5 S0L", "AL02 EXP", "AL03 FUT", "ZZ99 NOT");
            Map<String, JsonNode> byVrm = new ConcurrentHashMap<>();
            for (int i = 0; i < 3; i++) {
                SseClient.Event e = inv.next("hit", BOUND);
                assertThat(e).as("hit %d of 3 within %s", i + 1, BOUND).isNotNull();
                assertThat(e.receivedAtMillis() - sent).isLessThanOrEqualTo(BOUND.toMillis());
                JsonNode hit = JSON.readTree(e.data());
                assertThat(e.id()).isEqualTo(hit.path("id").asText());
                byVrm.put(hit.path("vrm").asText(), hit);
            }
            assertThat(byVrm.keySet()).containsExactlyInAnyOrder("AL01EXA", "AL9XYZ", "ALO5S0L");
            assertThat(byVrm.get("AL01EXA").path("match").asText()).isEqualTo("exact");
            assertThat(byVrm.get("AL01EXA").path("instructions").asText()).isEqualTo("Stop the vehicle");
            assertThat(byVrm.get("AL01EXA").path("markers").get(0).asText()).isEqualTo("FI");
            assertThat(byVrm.get("AL9XYZ").path("match").asText()).isEqualTo("wildcard");
            assertThat(byVrm.get("ALO5S0L").path("match").asText()).as("marked so the officer knows").isEqualTo("fuzzy");
            assertThat(byVrm.get("ALO5S0L").path("entryVrm").asText()).isEqualTo("AL05SOL");
            assertThat(inv.next("hit", Duration.ofSeconds(2))).as("expired, not yet valid and unlisted plates: no hit").isNull();
        }
        assertThat(jdbc.queryForObject("select count(*) from hotlist_hit where vrm in ('AL02EXP', 'AL03FUT', 'ZZ99NOT')", Long.class)).isZero();
        assertThat(metric("anpr_hotlist_hits_total{list=\"alert-inv\"}")).isGreaterThanOrEqualTo(3);
        assertThat(metric("anpr_hotlist_hits_total{list=\"alert-sup\"}")).as("every list's series, from 0").isGreaterThanOrEqualTo(0);
        assertThat(metric("anpr_alert_latency_seconds_count")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void withNasDownReadsAreStoredUndeliveredAndAlertsStillGoOut() throws Exception {
        try (SseClient inv = stream("investigator", null)) {
            post(4, "AL01 EXA");
            SseClient.Event e = inv.next("hit", BOUND);
            assertThat(e).as("the hit, NAS down").isNotNull();
            String readId = JSON.readTree(e.data()).path("readId").asText();
            assertThat(new uk.anprhub.delivery.DeliveryStore(jdbc.getDataSource()).waiting("nas", java.util.UUID.fromString(readId)))
                    .as("stored, still waiting for NAS").isTrue();
            assertThat(NAS.stat("accepted")).isZero();
        }
    }

    @Test
    void eachCallerSeesOnlyTheListsOfTheirRoleAndOpsSeesCameraEvents() throws Exception {
        try (SseClient inv = stream("investigator", null); SseClient sup = stream("supervisor", null); SseClient ops = stream("ops", null)) {
            post(9, "AL04 SUP", "AL01 EXA");
            assertThat(JSON.readTree(sup.next("hit", BOUND).data()).path("listId").asText()).isEqualTo("alert-sup");
            assertThat(JSON.readTree(inv.next("hit", BOUND).data()).path("listId").asText()).isEqualTo("alert-inv");
            assertThat(sup.next("hit", Duration.ofSeconds(1))).isNull();
            assertThat(inv.next("hit", Duration.ofSeconds(1))).isNull();
            // camera 9 sent once and then nothing: silent after the 2 s floor, a camera event for ops only
            SseClient.Event camera = ops.next("camera", Duration.ofSeconds(20));
            assertThat(camera).as("a camera state change on the ops stream").isNotNull();
            assertThat(JSON.readTree(camera.data()).path("cameraId").asText()).startsWith("MPS-DEMO-");
            assertThat(ops.next("hit", Duration.ofMillis(200))).as("ops holds neither list's role").isNull();
            assertThat(inv.next("camera", Duration.ofMillis(200))).isNull();
        }
        try (SseClient any = stream("hotlists", null)) {
            assertThat(any.status).as("any role may listen").isEqualTo(200);
        }
    }

    @Test
    void aReconnectingClientResumesFromTheStoredHitsAfterItsLastEventId() throws Exception {
        String last;
        try (SseClient inv = stream("investigator", null)) {
            post(5, "AL01 EXA");
            last = inv.next("hit", BOUND).id();
        }
        post(5, "AL9 RES1");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from hotlist_hit where vrm = 'AL9RES1'", Long.class) >= 1);
        try (SseClient again = stream("investigator", last)) {
            SseClient.Event e = again.next("hit", BOUND);
            assertThat(Long.parseLong(e.id())).isGreaterThan(Long.parseLong(last));
            List<String> vrms = new ArrayList<>(List.of(JSON.readTree(e.data()).path("vrm").asText()));
            for (SseClient.Event more = again.next("hit", Duration.ofMillis(500)); more != null; more = again.next("hit", Duration.ofMillis(500))) {
                vrms.add(JSON.readTree(more.data()).path("vrm").asText());
            }
            assertThat(vrms).contains("AL9RES1");
        }
        assertThat(send("supervisor", "GET", "/api/v1/alerts?limit=500", null, null).body()).doesNotContain("AL9RES1");
    }

    @Test
    void aWebhookReceiverDownThenUpGetsTheHitExactlyOnce() throws Exception {
        post(6, "AL9 HOOK");
        long hitId = await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForList(
                "select id from hotlist_hit where vrm = 'AL9HOOK'", Long.class), l -> !l.isEmpty()).get(0);
        // the target is held after a failure, so the oldest queued hit takes the retries; the rest wait their turn
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select max(attempts) from alert_webhook where target = 'control-room'", Integer.class) >= 2);
        assertThat(jdbc.queryForObject("select status from alert_webhook where target = 'control-room' and hit_id = ?", String.class, hitId))
                .as("retried, not lost, while the receiver is down").isEqualTo("PENDING");

        receiver = HttpServer.create(new InetSocketAddress("localhost", RECEIVER_PORT), 0);
        receiver.createContext("/hook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            String id = x.getRequestHeaders().getFirst("X-Anpr-Hit-Id");
            if (JSON.readTree(body).path("id").asText().equals(id)) {
                RECEIVED.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        receiver.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.containsKey(String.valueOf(hitId)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(jdbc.queryForObject(
                "select status from alert_webhook where target = 'control-room' and hit_id = ?", String.class, hitId)));
        org.awaitility.Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(3500)).until(() -> RECEIVED.get(String.valueOf(hitId)).get() == 1); // any second send would come within the 1 s maximum back-off
        assertThat(RECEIVED.get(String.valueOf(hitId)).get()).as("delivered once").isEqualTo(1);
        JsonNode status = JSON.readTree(send("ops", "GET", "/api/v1/alert-webhooks", null, null).body());
        assertThat(status.get(0).path("target").asText()).isEqualTo("control-room");
        assertThat(status.get(0).path("delivered").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anAcknowledgementIsRecordedOnceAuditedAndOnlyByWhoMaySeeTheHit() throws Exception {
        try (SseClient inv = stream("investigator", null)) {
            post(7, "AL01 EXA");
            long hitId = Long.parseLong(inv.next("hit", BOUND).id());
            String path = "/api/v1/alerts/" + hitId + "/ack";
            assertThat(send("supervisor", "POST", path, "application/json", "{\"outcome\":\"stopped\"}").statusCode()).isEqualTo(404);
            assertThat(send("investigator", "POST", path, "application/json", "{\"outcome\":\"maybe\"}").statusCode()).isEqualTo(400);
            HttpResponse<String> r = send("investigator", "POST", path, "application/json", "{\"outcome\":\"stopped\",\"note\":\"driver spoken to\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode ack = JSON.readTree(r.body()).path("ack");
            assertThat(ack.path("by").asText()).isEqualTo("investigator");
            assertThat(ack.path("outcome").asText()).isEqualTo("stopped");
            assertThat(ack.path("at").asText()).isNotEmpty();
            assertThat(send("investigator", "POST", path, "application/json", "{\"outcome\":\"no-action\"}").statusCode()).isEqualTo(409);
            assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'alert-ack' and actor = 'investigator'"
                    + " and (detail->>'hit')::bigint = ? and detail->>'outcome' = 'stopped'", Long.class, hitId)).isEqualTo(1);
            SseClient.Event e = inv.next("ack", BOUND);
            assertThat(JSON.readTree(e.data()).path("hitId").asLong()).isEqualTo(hitId);
        }
    }

    @Test
    void aHitTheDatabaseRefusesIsParkedNotLostAndArrivesExactlyOnceWhenItHeals() throws Exception {
        // a real refusal inside PostgreSQL, for this plate only: every insert of its hit fails until the trigger is dropped
        jdbc.execute("""
                create or replace function alert_it_refuse_hit() returns trigger language plpgsql as $$
                begin raise exception 'hit refused by AlertIT'; end $$""");
        jdbc.execute("create trigger alert_it_refuse_hit before insert on hotlist_hit for each row"
                + " when (new.vrm = 'AL9DUR1') execute function alert_it_refuse_hit()");
        try (SseClient inv = stream("investigator", null)) {
            try {
                post(8, "AL9 DUR1");
                // the matcher's five attempts (~6 s), then parked
                await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                        "select count(*) from hotlist_hit_parked where vrm = 'AL9DUR1'", Long.class) == 1);
                // the gauge is the count as last taken (park adds after its commit; a retry recounts): it follows within a retry
                await().atMost(Duration.ofSeconds(10)).until(() -> metric("anpr_hotlist_hits_parked") >= 1);

                // a batch parked together (as when the refused hit shared the matcher's batch): a second read of the
                // refused plate first, then another plate's hit, which must not wait behind the refused ones
                long entry = jdbc.queryForObject("select id from hotlist_entry where list_id = 'alert-inv' and vrm = 'AL9*'", Long.class);
                Instant now = Instant.now();
                hits.park(List.of(
                        new HitStore.NewHit(UUID.randomUUID(), "AL9DUR1", "MPS-DEMO-0008", now, now, "alert-inv", entry, "wildcard", 20),
                        new HitStore.NewHit(UUID.randomUUID(), "AL9DUR2", "MPS-DEMO-0008", now, now, "alert-inv", entry, "wildcard", 20)));
                SseClient.Event neighbour = inv.next("hit", Duration.ofSeconds(10));
                assertThat(neighbour).as("the neighbour's hit, stored while the refused ones stay parked").isNotNull();
                assertThat(JSON.readTree(neighbour.data()).path("vrm").asText()).isEqualTo("AL9DUR2");
                Thread.sleep(1_500); // three more retries, all refused
                assertThat(jdbc.queryForObject("select count(*) from hotlist_hit where vrm = 'AL9DUR1'", Long.class)).isZero();
                assertThat(jdbc.queryForObject("select count(*) from hotlist_hit_parked where vrm = 'AL9DUR1'", Long.class))
                        .as("still parked while refused").isEqualTo(2);
                assertThat(inv.next("hit", Duration.ofMillis(200))).isNull();
            } finally {
                jdbc.execute("drop trigger if exists alert_it_refuse_hit on hotlist_hit");
            }
            List<String> events = new ArrayList<>();
            for (SseClient.Event e = inv.next("hit", Duration.ofSeconds(10)); e != null; e = inv.next("hit", Duration.ofSeconds(3))) {
                JsonNode hit = JSON.readTree(e.data());
                if (hit.path("vrm").asText().equals("AL9DUR1")) {
                    events.add(e.id());
                    assertThat(hit.path("match").asText()).isEqualTo("wildcard");
                }
            }
            assertThat(events).as("the healed hits (two reads) on the stream, each once").hasSize(2).doesNotHaveDuplicates();
            long hitId = Long.parseLong(events.get(0));
            assertThat(jdbc.queryForObject("select count(*) from hotlist_hit where vrm = 'AL9DUR1'", Long.class)).isEqualTo(2);
            assertThat(jdbc.queryForObject("select count(*) from hotlist_hit where vrm = 'AL9DUR2'", Long.class)).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from hotlist_hit_parked where vrm like 'AL9DUR%'", Long.class)).isZero();
            assertThat(jdbc.queryForObject("select count(*) from alert_webhook where hit_id = ?", Long.class, hitId))
                    .as("queued once for the webhook target").isEqualTo(1);
            // parked again after it was stored (an outcome the hub could not see): not stored or alerted twice
            Hit first = hits.byId(hitId).orElseThrow();
            hits.park(List.of(new HitStore.NewHit(first.readId(), first.vrm(), first.cameraId(), first.capturedAt(),
                    first.committedAt(), first.listId(), first.entryId(), first.match(), first.priority())));
            await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                    "select count(*) from hotlist_hit_parked where vrm = 'AL9DUR1'", Long.class) == 0);
            assertThat(jdbc.queryForObject("select count(*) from hotlist_hit where vrm = 'AL9DUR1'", Long.class)).isEqualTo(2);
            assertThat(inv.next("hit", Duration.ofSeconds(1))).isNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> metric("anpr_hotlist_hits_parked") == 0);
        } finally {
            jdbc.execute("drop function if exists alert_it_refuse_hit()");
        }
    }

    /**
     * The matcher as the store's commit hook calls it, with a plate that has unreadable-character markers (the ingest
     * path quarantines such a read when the camera gives no vrmGuess, docs/hotlists.md#partly-read-plates).
     */
    @Test
    void aPartlyReadPlateHitsTheListedVrmMarkedPartialAndTooManyMarkersDoNot() throws Exception {
        try (SseClient inv = stream("investigator", null)) {
            Instant now = Instant.now();
            UUID partial = UUID.randomUUID();
            matcher.committed(List.of(
                    new CommitListener.Committed("MPS-DEMO-0003", now.minusSeconds(5), now, partial, "AL01E?A", now),
                    new CommitListener.Committed("MPS-DEMO-0003", now.minusSeconds(5), now, UUID.randomUUID(), "A?0?E?A", now),
                    new CommitListener.Committed("MPS-DEMO-0003", now.minusSeconds(5), now, UUID.randomUUID(), "???????", now)));
            SseClient.Event e = inv.next("hit", BOUND);
            assertThat(e).as("the partial hit within the bound").isNotNull();
            JsonNode hit = JSON.readTree(e.data());
            assertThat(hit.path("readId").asText()).isEqualTo(partial.toString());
            assertThat(hit.path("match").asText()).as("marked so the officer knows").isEqualTo("partial");
            assertThat(hit.path("entryVrm").asText()).isEqualTo("AL01EXA");
            assertThat(hit.path("vrm").asText()).as("the plate as read, marker kept").isEqualTo("AL01E?A");
            assertThat(inv.next("hit", Duration.ofSeconds(2))).as("three markers, markers only: no hit").isNull();

            // a read stored with the vendor's best guess as its VRM: an exact match of the guess is reported partial
            UUID guessed = UUID.randomUUID();
            matcher.committed(List.of(new CommitListener.Committed("MPS-DEMO-0003", now.minusSeconds(4), now, guessed,
                    "AL01EXA", now, 80, true)));
            JsonNode guessHit = JSON.readTree(inv.next("hit", BOUND).data());
            assertThat(guessHit.path("readId").asText()).isEqualTo(guessed.toString());
            assertThat(guessHit.path("match").asText()).isEqualTo("partial");
        }
        assertThat(jdbc.queryForObject("select count(*) from hotlist_hit where vrm in ('A?0?E?A', '???????')", Long.class)).isZero();
    }
}
