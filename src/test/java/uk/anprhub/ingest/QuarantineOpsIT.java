package uk.anprhub.ingest;

import uk.anprhub.message.RawMessage;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.store.QuarantineStore;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.TabularData;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Quarantine operations (issue 15 items 4 and 2): re-processing pages through everything with totals and a cursor,
 * a message that fails again takes its new reason, connectors reload through the API, the held gauge, and the
 * {@code uk.anprhub:type=Quarantine} MBean on the platform MBean server.
 */
class QuarantineOpsIT extends HubIT {

    @Autowired
    QuarantineStore store;

    @Autowired
    QuarantineMBean mbean;

    @Autowired
    QuarantineHeld held;

    private JsonNode reprocess(String query) throws Exception {
        HttpResponse<String> r = HTTP.send(asOps("/api/v1/quarantine/reprocess?" + query).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private long quarantineUnknownCamera(String camera) throws Exception {
        HttpResponse<String> r = postJson("/ingest/nas-json", "{\"vrm\":\"" + TestReads.plate() + "\",\"captureTimeUtc\":\""
                + Instant.now().minusSeconds(30) + "\",\"cameraId\":\"" + camera + "\"}");
        assertThat(r.statusCode()).isEqualTo(422);
        return json(r).get("quarantined").get(0).get("quarantineId").asLong();
    }

    @Test
    void reprocessingPagesThroughEveryMatchWithTotalsAndACursorNeverStoppingSilently() throws Exception {
        String camera = "QOPS-PAGE-" + System.nanoTime();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(quarantineUnknownCamera(camera));
        }
        long before = ids.get(0) - 1; // the cursor isolates this test's rows from other tests' unknown cameras
        Files.writeString(CAMERAS.resolve("quarantine-ops-it.yaml"), """
                cameras:
                  - cameraId: %s
                    sourceId: MPS-DEMO
                    feedId: MPS
                    vendor: nas
                """.formatted(camera));
        HttpResponse<String> reload = HTTP.send(asOps("/api/v1/cameras/reload").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reload.statusCode()).isEqualTo(200);

        String filter = "reason=unknown-camera&feed=nas-json&why=camera+registered&limit=2";
        JsonNode first = reprocess(filter + "&after=" + before);
        assertThat(first.get("matched").asLong()).isEqualTo(5);
        assertThat(first.get("reprocessed").asInt()).isEqualTo(2);
        assertThat(first.get("recovered").asInt()).isEqualTo(2);
        assertThat(first.get("stored").asInt()).isEqualTo(2);
        assertThat(first.get("stillFailing").asInt()).isZero();
        assertThat(first.get("remaining").asLong()).isEqualTo(3);
        assertThat(first.get("complete").asBoolean()).isFalse();
        assertThat(first.get("next").asLong()).isEqualTo(ids.get(1));

        JsonNode second = reprocess(filter + "&after=" + first.get("next").asLong());
        assertThat(second.get("reprocessed").asInt()).isEqualTo(2);
        assertThat(second.get("remaining").asLong()).isEqualTo(1);
        JsonNode third = reprocess(filter + "&after=" + second.get("next").asLong());
        assertThat(third.get("reprocessed").asInt()).isEqualTo(1);
        assertThat(third.get("remaining").asLong()).isZero();
        assertThat(third.get("complete").asBoolean()).isTrue();
        assertThat(third.path("next").isMissingNode() || third.get("next").isNull()).as("no next when complete").isTrue();

        assertThat(jdbc.queryForObject("select count(*) from nas_read where camera_id = ?", Integer.class, camera)).isEqualTo(5);
        assertThat(jdbc.queryForObject("select count(*) from quarantine where id = any(?) and status = 'RECOVERED'", Integer.class,
                (Object) ids.toArray(new Long[0]))).isEqualTo(5);

        HttpResponse<String> tooMany = HTTP.send(asOps("/api/v1/quarantine/reprocess?why=too+many+at+once&limit=10001")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("after");
    }

    @Test
    void aMessageThatFailsAgainTakesItsNewReasonAndCountsTheAttempt() throws Exception {
        String camera = "QOPS-STILL-" + System.nanoTime();
        byte[] payload = ("{\"vrm\":\"" + TestReads.plate() + "\",\"captureTimeUtc\":\"" + Instant.now().minusSeconds(30)
                + "\",\"cameraId\":\"" + camera + "\"}").getBytes(StandardCharsets.UTF_8);
        // as if an old mapping had refused it: the current one decodes it, but the camera is still unknown
        long id = store.add(new RawMessage(payload, "nas-json", "nas-json", "http", "application/json", Map.of(), "127.0.0.1",
                null, null, Instant.now()), "mapping-failed", "old mapping", null);

        JsonNode r = reprocess("reason=mapping-failed&why=mapping+fixed&after=" + (id - 1));
        assertThat(r.get("reprocessed").asInt()).isEqualTo(1);
        assertThat(r.get("stillFailing").asInt()).isEqualTo(1);
        assertThat(r.get("stillFailingByReason").get("unknown-camera").asInt()).isEqualTo(1);

        Map<String, Object> row = jdbc.queryForMap("select reason, status, reprocess_attempts, reprocessed_at from quarantine where id = ?", id);
        assertThat(row.get("reason")).isEqualTo("unknown-camera");
        assertThat(row.get("status")).isEqualTo("QUARANTINED");
        assertThat(row.get("reprocess_attempts")).isEqualTo(1);
        assertThat(row.get("reprocessed_at")).isNotNull();

        reprocess("reason=unknown-camera&why=try+once+more&after=" + (id - 1));
        assertThat(jdbc.queryForObject("select reprocess_attempts from quarantine where id = ?", Integer.class, id)).isEqualTo(2);
        HttpResponse<String> list = HTTP.send(asOps("/api/v1/quarantine?reason=unknown-camera&limit=1000").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.body()).contains("\"id\":" + id + ",").contains("\"reprocessAttempts\":2");
    }

    @Test
    void connectorsReloadThroughTheApiWithAReasonAndAnAuditRow() throws Exception {
        HttpResponse<String> noWhy = HTTP.send(asOps("/api/v1/connectors/reload").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noWhy.statusCode()).isEqualTo(400);
        HttpResponse<String> r = HTTP.send(asOps("/api/v1/connectors/reload?why=mapping+fix+ticket+7").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("loaded").asInt()).isGreaterThan(10);
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'connectors.reload' and actor = 'ops'"
                + " and detail->>'why' = 'mapping fix ticket 7'", Integer.class)).isEqualTo(1);
    }

    @Test
    void theHeldGaugeCountsRowsByReasonAndShowsKnownReasonsAtZero() throws Exception {
        quarantineUnknownCamera("QOPS-HELD-" + System.nanoTime());
        held.refresh();
        long rows = jdbc.queryForObject("select count(*) from quarantine where status = 'QUARANTINED' and reason = 'unknown-camera'", Long.class);
        assertThat(metric("anpr_quarantine_held{reason=\"unknown-camera\"}")).isEqualTo(rows);
        assertThat(get("/actuator/prometheus").body()).contains("anpr_quarantine_held{reason=\"too-many-reads\"} ");
    }

    @Test
    void theQuarantineMBeanShowsCountsAndReprocessesAndReloadsAudited() throws Exception {
        mbean.register(); // other hub contexts in this JVM register theirs too: make sure this context's answers
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("uk.anprhub:type=Quarantine");
        quarantineUnknownCamera("QOPS-JMX-" + System.nanoTime());
        held.refresh();

        long total = (Long) server.getAttribute(name, "Total");
        assertThat(total).isEqualTo(jdbc.queryForObject("select count(*) from quarantine where status = 'QUARANTINED'", Long.class));
        TabularData counts = (TabularData) server.getAttribute(name, "CountsByReason");
        assertThat(counts.toString()).contains("unknown-camera");

        String[] signature = {String.class.getName(), String.class.getName()};
        String answer = (String) server.invoke(name, "reprocess", new Object[]{"no-such-reason", "checking jmx ops"}, signature);
        assertThat(answer).contains("matched 0").contains("remaining 0");
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'quarantine.reprocess' and actor = 'jmx'"
                + " and detail->>'why' = 'checking jmx ops'", Integer.class)).isEqualTo(1);

        assertThatThrownBy(() -> server.invoke(name, "reprocess", new Object[]{"unknown-camera", "x"}, signature))
                .isInstanceOf(RuntimeMBeanException.class).hasRootCauseInstanceOf(IllegalArgumentException.class);

        String reloaded = (String) server.invoke(name, "reloadConnectors", new Object[]{"checking jmx reload"},
                new String[]{String.class.getName()});
        assertThat(reloaded).contains("connectors loaded");
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'connectors.reload' and actor = 'jmx'",
                Integer.class)).isGreaterThanOrEqualTo(1);
    }
}
