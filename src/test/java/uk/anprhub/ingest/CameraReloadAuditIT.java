package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.support.HubIT;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every camera registry reload is an audit row ({@code cameras.reload}) on a running hub with its real PostgreSQL: an
 * operator's reload through the API (account, reason, counts), one the file watch picks up (account {@code system}),
 * a broken file (refused, the previous registry kept, audited once by the watch), and no row for a caller without
 * role ops, who is refused as before.
 */
class CameraReloadAuditIT extends HubIT {

    private long lastAuditId() {
        Long id = jdbc.queryForObject("select max(id) from audit_log", Long.class);
        return id == null ? 0 : id;
    }

    /** The detail of the cameras.reload rows after {@code afterId} of this way in, oldest first. */
    private List<JsonNode> reloads(long afterId, String actor, String via) {
        return jdbc.query("select detail::text from audit_log where action = 'cameras.reload' and id > ? and actor = ?"
                        + " and detail->>'via' = ? order by id", (rs, i) -> {
                    try {
                        return JSON.readTree(rs.getString(1));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }, afterId, actor, via);
    }

    private static String camera(String id) {
        return """
                cameras:
                  - cameraId: %s
                    sourceId: MPS-DEMO
                    feedId: MPS
                    vendor: nas
                """.formatted(id);
    }

    private HttpResponse<String> reload(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOperatorsReloadIsAuditedWithWhoWhyAndTheCountsBeforeAndAfter() throws Exception {
        long from = lastAuditId();
        HttpResponse<String> r = reload(asOps("/api/v1/cameras/reload?why=camera+MPS-77+added+by+ticket+4411"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        int cameras = json(r).get("cameras").asInt();

        List<JsonNode> rows = reloads(from, "ops", "api");
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.get("why").asText()).isEqualTo("camera MPS-77 added by ticket 4411");
        assertThat(row.get("outcome").asText()).isEqualTo("reloaded");
        assertThat(row.get("after").asInt()).isEqualTo(cameras);
        assertThat(row.get("before").isInt()).isTrue();
        assertThat(jdbc.queryForObject("select source from audit_log where id = (select max(id) from audit_log"
                + " where action = 'cameras.reload' and actor = 'ops')", String.class)).as("the source address").isNotBlank();
    }

    @Test
    void aCameraFileEditedOnDiskIsPickedUpByTheWatchAndAuditedAsSystem() throws Exception {
        long from = lastAuditId();
        String id = "MPS-WATCH-" + System.nanoTime();
        Path file = CAMERAS.resolve("watch-" + id + ".yaml");
        Files.writeString(file, camera(id));
        try {
            JsonNode row = await().atMost(Duration.ofSeconds(30)).until(() -> reloads(from, "system", "file-watch"),
                    l -> !l.isEmpty()).get(0);
            assertThat(row.get("outcome").asText()).isEqualTo("reloaded");
            assertThat(row.get("after").asInt()).as("one camera more").isEqualTo(row.get("before").asInt() + 1);
            assertThat(row.has("why")).isFalse();
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aBrokenFileIsRefusedKeepsTheRegistryAndIsAuditedOnceByTheWatchAndOnEveryRequest() throws Exception {
        // settle first: the watch has loaded whatever the other tests left
        assertThat(reload(asOps("/api/v1/cameras/reload")).statusCode()).isEqualTo(200);
        long from = lastAuditId();
        Path broken = CAMERAS.resolve("zz-broken-by-test.yaml");
        Files.writeString(broken, "cameras:\n  - cameraId: [not, a, camera\n");
        try {
            JsonNode watched = await().atMost(Duration.ofSeconds(30)).until(() -> reloads(from, "system", "file-watch"),
                    l -> !l.isEmpty()).get(0);
            assertThat(watched.get("outcome").asText()).isEqualTo("refused");
            assertThat(watched.get("error").asText()).contains("zz-broken-by-test.yaml");
            assertThat(watched.get("after").asInt()).as("the previous registry is kept").isEqualTo(watched.get("before").asInt());

            HttpResponse<String> r = reload(asOps("/api/v1/cameras/reload?why=trying+the+fix"));
            assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
            List<JsonNode> asked = reloads(from, "ops", "api");
            assertThat(asked).hasSize(1);
            assertThat(asked.get(0).get("outcome").asText()).isEqualTo("refused");
            assertThat(asked.get(0).get("why").asText()).isEqualTo("trying the fix");

            Thread.sleep(3_000); // two more checks of the watch (every 1 s, HubIT): the same broken files are not audited again
            assertThat(reloads(from, "system", "file-watch")).hasSize(1);
        } finally {
            Files.delete(broken);
        }
        assertThat(reload(asOps("/api/v1/cameras/reload")).statusCode()).as("fixed: reloads again").isEqualTo(200);
    }

    @Test
    void aCallerWithoutRoleOpsIsRefusedAndNothingIsReloadedOrAudited() throws Exception {
        long from = lastAuditId();
        String basic = Base64.getEncoder().encodeToString("auditor:ops-test-password".getBytes());
        HttpResponse<String> r = reload(HttpRequest.newBuilder(uri("/api/v1/cameras/reload?why=not+my+job"))
                .header("Authorization", "Basic " + basic).header("X-Anpr-Client", "test"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(reload(HttpRequest.newBuilder(uri("/api/v1/cameras/reload")).header("X-Anpr-Client", "test")).statusCode())
                .isEqualTo(401);
        assertThat(reloads(from, "auditor", "api")).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'cameras.reload' and id > ?"
                + " and detail->>'via' = 'api'", Long.class, from)).isZero();
    }
}
