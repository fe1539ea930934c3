package uk.anprhub.hotlist;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import uk.anprhub.support.HubIT;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hotlist API on the running hub (real HTTP, real PostgreSQL): lists, CSV import good / malformed / atomic
 * replace / delta, JSON entries, roles, audit, bounds.
 */
class HotlistIT extends HubIT {

    private final String list = "it-" + System.nanoTime();

    @AfterEach
    void removeList() throws Exception {
        send("hotlists", "DELETE", "/api/v1/hotlists/" + list, null, null);
    }

    private HttpResponse<String> send(String user, String method, String path, String type, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + OPS_PASSWORD).getBytes()))
                .header("X-Anpr-Client", "test")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void createList() throws Exception {
        HttpResponse<String> r = send("hotlists", "POST", "/api/v1/hotlists", "application/json", """
                {"id":"%s","owner":"Force intelligence bureau","description":"test","hitRole":"investigator",
                 "hitRetentionDays":7,"fuzzy":true}""".formatted(list));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).path("active").asBoolean()).isTrue();
    }

    private HttpResponse<String> importCsv(String mode, String csv) throws Exception {
        return send("hotlists", "POST", "/api/v1/hotlists/" + list + "/import?mode=" + mode, "text/csv", csv);
    }

    private long entries() {
        return jdbc.queryForObject("select count(*) from hotlist_entry where list_id = ?", Long.class, list);
    }

    @Test
    void aGoodImportIsStoredAuditedAndActive() throws Exception {
        createList();
        HttpResponse<String> r = importCsv("replace", """
                vrm,category,priority,markers,instructions,valid_from,expiry,source
                HL01ABC,stolen,5,FI;WE,Stop the vehicle,2026-01-01,2099-01-31,PNC
                HL02ABC,insurance,60,,,,,MIB
                HL9*,wanted,20,,,,,local
                """);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode a = json(r);
        assertThat(a.path("added").asInt()).isEqualTo(3);
        assertThat(a.path("entries").asLong()).isEqualTo(3);
        assertThat(a.path("active").asBoolean()).as("the index matches with it when the answer comes").isTrue();
        assertThat(entries()).isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'hotlist-import' and actor = 'hotlists'"
                + " and detail->>'list' = ? and (detail->>'count')::int = 3", Long.class, list)).isEqualTo(1);

        HttpResponse<String> shown = send("hotlists", "GET", "/api/v1/hotlists/" + list + "/entries?vrm=HL01ABC", null, null);
        assertThat(json(shown).get(0).path("markers")).hasSize(2);
        assertThat(json(shown).get(0).path("priority").asInt()).isEqualTo(5);
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'hotlist-entries-view'"
                + " and detail->>'list' = ? and detail->>'vrm' = 'HL01ABC'", Long.class, list)).isEqualTo(1);
    }

    @Test
    void aMalformedLineRefusesTheWholeFileNamingTheLines() throws Exception {
        createList();
        importCsv("replace", "vrm,category\nHL10AAA,stolen\n");
        HttpResponse<String> r = importCsv("replace", """
                vrm,category,priority,expiry
                HL11AAA,stolen,5,
                HL12AAA,stolen,500,
                HL13AAA,stolen,5,not-a-date
                HL14AAA,stolen,5,
                """);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode a = json(r);
        assertThat(a.path("error").asText()).isEqualTo("import-refused");
        assertThat(a.path("badLines").asInt()).isEqualTo(2);
        assertThat(a.path("problems").get(0).asText()).startsWith("line 3:").contains("priority");
        assertThat(a.path("problems").get(1).asText()).startsWith("line 4:").contains("expiry");
        assertThat(r.body()).doesNotContain("HL12AAA", "HL13AAA");
        assertThat(jdbc.queryForList("select vrm from hotlist_entry where list_id = ?", String.class, list))
                .as("nothing applied: the list is as before").containsExactly("HL10AAA");
    }

    @Test
    void replaceSwapsTheWholeListAndDeltaAddsUpdatesAndRemoves() throws Exception {
        createList();
        importCsv("replace", "vrm,category\nHL20AAA,stolen\nHL21AAA,stolen\nHL22AAA,stolen\n");
        HttpResponse<String> r = importCsv("replace", "vrm,category\nHL23AAA,wanted\n");
        assertThat(json(r).path("removed").asInt()).isEqualTo(3);
        assertThat(jdbc.queryForList("select vrm from hotlist_entry where list_id = ?", String.class, list)).containsExactly("HL23AAA");

        r = importCsv("delta", "vrm,category,priority,action\nHL23AAA,wanted,1,add\nHL24AAA,stolen,2,\nHL23AAA,,,remove\n");
        assertThat(r.statusCode()).as("the same vrm twice in one file").isEqualTo(400);
        r = importCsv("delta", "vrm,category,priority,action\nHL23AAA,wanted,1,add\nHL24AAA,stolen,2,\n");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select priority from hotlist_entry where list_id = ? and vrm = 'HL23AAA'", Integer.class, list))
                .as("updated in place").isEqualTo(1);
        r = importCsv("delta", "vrm,action\nHL23AAA,remove\n");
        assertThat(json(r).path("removed").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForList("select vrm from hotlist_entry where list_id = ?", String.class, list)).containsExactly("HL24AAA");
    }

    @Test
    void jsonEntriesAndRemovalOfOne() throws Exception {
        createList();
        HttpResponse<String> r = send("hotlists", "POST", "/api/v1/hotlists/" + list + "/entries", "application/json", """
                [{"vrm":"HL30 AAA","category":"stolen","priority":3,"markers":["FI"],"instructions":"Do not approach"},
                 {"vrm":"HL31AAA","category":"wanted"}]""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        long id = jdbc.queryForObject("select id from hotlist_entry where list_id = ? and vrm = 'HL30AAA'", Long.class, list);
        r = send("hotlists", "DELETE", "/api/v1/hotlists/" + list + "/entries/" + id, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(entries()).isEqualTo(1);
        r = send("hotlists", "POST", "/api/v1/hotlists/" + list + "/entries", "application/json", "[{\"vrm\":\"HL32AAA\"}]");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("problems").get(0).asText()).contains("entry 0").contains("category");
    }

    @Test
    void theWildcardCapAndTheSizeBoundHold() throws Exception {
        createList();
        StringBuilder csv = new StringBuilder("vrm,category\n");
        for (int i = 0; i < 101; i++) {
            csv.append("W").append(i).append("*,x\n");
        }
        HttpResponse<String> r = importCsv("replace", csv.toString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("detail").asText()).contains("wildcard").contains("nothing applied");
        assertThat(entries()).isZero();
    }

    @Test
    void onlyTheHotlistManagerMayChangeOrReadLists() throws Exception {
        assertThat(send("ops", "GET", "/api/v1/hotlists", null, null).statusCode()).isEqualTo(403);
        assertThat(send("investigator", "POST", "/api/v1/hotlists", "application/json",
                "{\"id\":\"" + list + "\",\"owner\":\"x\",\"hitRole\":\"ops\"}").statusCode()).isEqualTo(403);
        HttpResponse<String> noHeader = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/hotlists")).header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(("hotlists:" + OPS_PASSWORD).getBytes())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + list + "\",\"owner\":\"x\",\"hitRole\":\"ops\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noHeader.statusCode()).as("a state change without the client header").isEqualTo(403);
        HttpResponse<String> bad = send("hotlists", "POST", "/api/v1/hotlists", "application/json",
                "{\"id\":\"" + list + "\",\"owner\":\"x\",\"hitRole\":\"everyone\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("detail").asText()).contains("hitRole");
        createList();
        assertThat(send("hotlists", "POST", "/api/v1/hotlists", "application/json",
                "{\"id\":\"" + list + "\",\"owner\":\"x\",\"hitRole\":\"ops\"}").statusCode()).isEqualTo(409);
        assertThat(json(send("hotlists", "GET", "/api/v1/hotlists/" + list, null, null)).path("hitRole").asText()).isEqualTo("investigator");
    }
}
