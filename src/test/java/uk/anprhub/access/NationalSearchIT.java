package uk.anprhub.access;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.anprhub.simulator.nas.Faults;
import uk.anprhub.support.TestReads;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * National search through the hub against a running NAS simulator that has received the hub's deliveries: the
 * search reaches NAS with the force's credentials and the investigator's justification, is audited before it is sent
 * and answered with the count; no justification, no search; beyond the 90-day window only with a supervisor's
 * single-use authorisation for that investigator and reference; NAS down is a 503 with a clear message, audited.
 */
class NationalSearchIT extends AccessHub {

    static String plate;
    static String vrm;
    static String readId;

    @BeforeAll
    static void readDeliveredToNas(@org.springframework.beans.factory.annotation.Value("${local.server.port}") int port) throws Exception {
        NAS.faults(Faults.NONE);
        plate = TestReads.plate();
        vrm = plate.replace(" ", "");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/ingest/nas-json"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestReads.read(plate, Instant.now().minusSeconds(120), 3))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isLessThan(300);
        readId = JSON.readTree(r.body()).get("readIds").get(0).asText();
        await("read delivered to NAS").atMost(Duration.ofSeconds(60)).until(() -> NAS.acceptedReadIds().contains(readId));
    }

    @BeforeEach
    void nasUp() {
        NAS.faults(Faults.NONE);
        NAS.searchCredentials("force-01", "force-search-secret");
    }

    private static Map<String, Object> search(String vrm, Instant from, String reference) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("vrm", vrm);
        q.put("from", from.toString());
        q.put("reason", "vehicle linked to a burglary series");
        q.put("reference", reference);
        q.put("purpose", "crime-investigation");
        return q;
    }

    @Test
    void aSearchReachesNasWithTheForcesCredentialsAndIsAuditedBeforeItIsSentAndWithItsCount() throws Exception {
        int sent = NAS.searchRequests().size();
        long before = lastAuditId();
        HttpResponse<String> r = postJson("investigator", "/api/v1/national/search", search(vrm, Instant.now().minus(Duration.ofDays(1)), "CASE-N1"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.get("count").asInt()).isEqualTo(1);
        assertThat(answer.get("results").get(0).get("readId").asText()).isEqualTo(readId);
        assertThat(answer.get("results").get(0).get("cameraId").asText()).isEqualTo("MPS-DEMO-0003");
        // NAS got the justification and who asked (and accepted the credentials: it demands them)
        JsonNode asked = NAS.searchRequests().get(sent);
        assertThat(asked.get("requestedBy").asText()).isEqualTo("investigator");
        assertThat(asked.get("reference").asText()).isEqualTo("CASE-N1");
        assertThat(asked.get("purpose").asText()).isEqualTo("crime-investigation");
        assertThat(asked.get("match").asText()).isEqualTo("exact");
        List<Map<String, Object>> rows = jdbc.queryForList("select actor, action, detail->>'vrm' as vrm, detail->>'reason' as reason,"
                + " detail->>'count' as count from audit_log where id > ? and action like 'national.%' order by id", before);
        assertThat(rows).extracting(m -> m.get("action")).containsExactly("national.search", "national.search.answered");
        assertThat(rows.get(0)).containsEntry("actor", "investigator").containsEntry("vrm", vrm)
                .containsEntry("reason", "vehicle linked to a burglary series");
        assertThat(rows.get(1)).containsEntry("count", "1");
    }

    @Test
    void wildcardsSearchToo() throws Exception {
        HttpResponse<String> r = postJson("investigator", "/api/v1/national/search",
                search(vrm.substring(0, 2) + "?" + vrm.substring(3, 5) + "*", Instant.now().minus(Duration.ofDays(1)), "CASE-N2"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("results").findValuesAsText("readId")).contains(readId);
        assertThat(NAS.searchRequests().get(NAS.searchRequests().size() - 1).get("match").asText()).isEqualTo("wildcard");
        // a wildcard that names almost nothing would sweep the country: refused
        HttpResponse<String> broad = postJson("investigator", "/api/v1/national/search", search("A*", Instant.now().minus(Duration.ofDays(1)), "CASE-N2"));
        assertThat(broad.statusCode()).isEqualTo(400);
        assertThat(json(broad).get("detail").asText()).contains("at least 3");
    }

    @Test
    void withoutReasonReferenceAndPurposeNothingIsSent() throws Exception {
        int sent = NAS.searchRequests().size();
        long before = lastAuditId();
        Map<String, Object> q = search(vrm, Instant.now().minus(Duration.ofDays(1)), " ");
        q.remove("purpose");
        q.put("reason", "why");
        HttpResponse<String> r = postJson("investigator", "/api/v1/national/search", q);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("fields").toString()).isEqualTo("[\"reason\",\"reference\",\"purpose\"]");
        assertThat(NAS.searchRequests()).hasSize(sent);
        assertThat(jdbc.queryForObject("select count(*) from audit_log where id > ? and action = 'national.search'", Long.class, before)).isZero();
    }

    @Test
    void beyondTheWindowASearchNeedsASupervisorsAuthorisationForThatInvestigatorAndReferenceUsedOnce() throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofDays(120));
        int sent = NAS.searchRequests().size();
        HttpResponse<String> refused = postJson("investigator", "/api/v1/national/search", search(vrm, longAgo, "CASE-N3"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).get("error").asText()).isEqualTo("supervisor-authorisation-required");
        assertThat(json(refused).get("detail").asText()).contains("more than 90 days", "supervisorAuthorisation");
        assertThat(NAS.searchRequests()).hasSize(sent);
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'national.search.refused' and detail->>'reference' = 'CASE-N3'",
                Long.class)).isEqualTo(1);

        // an investigator cannot authorise; a supervisor cannot authorise their own search
        Map<String, Object> ask = Map.of("investigator", "investigator", "reference", "CASE-N3", "reason", "series goes back to the spring");
        assertThat(postJson("investigator", "/api/v1/national/authorisations", ask).statusCode()).isEqualTo(403);
        assertThat(postJson("supervisor", "/api/v1/national/authorisations",
                Map.of("investigator", "supervisor", "reference", "CASE-N3", "reason", "series goes back to the spring")).statusCode()).isEqualTo(403);
        HttpResponse<String> given = postJson("supervisor", "/api/v1/national/authorisations", ask);
        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
        String authorisation = json(given).get("authorisation").asText();
        assertThat(authorisation).startsWith("NSA-");
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'national.authorise' and actor = 'supervisor'"
                + " and detail->>'authorisation' = ?", Long.class, authorisation)).isEqualTo(1);

        Map<String, Object> q = search(vrm, longAgo, "CASE-N3");
        q.put("supervisorAuthorisation", authorisation);
        HttpResponse<String> otherInvestigator = postJson("investigator2", "/api/v1/national/search", q);
        assertThat(otherInvestigator.statusCode()).isEqualTo(403);
        assertThat(json(otherInvestigator).get("detail").asText()).contains("another investigator");
        Map<String, Object> otherCase = search(vrm, longAgo, "CASE-OTHER");
        otherCase.put("supervisorAuthorisation", authorisation);
        assertThat(json(postJson("investigator", "/api/v1/national/search", otherCase)).get("detail").asText()).contains("another reference");

        // NAS down: 503, audited as attempted, and the authorisation is not spent
        NAS.faults(Faults.NONE.withMode(Faults.Mode.DOWN));
        HttpResponse<String> down = postJson("investigator", "/api/v1/national/search", q);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(json(down).get("detail").asText()).contains("cannot be reached", "attempt is recorded");
        NAS.faults(Faults.NONE);

        HttpResponse<String> ok = postJson("investigator", "/api/v1/national/search", q);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(NAS.searchRequests().get(NAS.searchRequests().size() - 1).get("supervisorAuthorisation").asText()).isEqualTo(authorisation);
        HttpResponse<String> again = postJson("investigator", "/api/v1/national/search", q);
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(json(again).get("detail").asText()).contains("used already");
    }

    @Test
    void nasUnreachableIs503WithAClearMessageAuditedAsAttempted() throws Exception {
        long before = lastAuditId();
        NAS.faults(Faults.NONE.withMode(Faults.Mode.REFUSE));
        await().atMost(Duration.ofSeconds(10)).until(() -> refused(NAS.port()));
        try {
            HttpResponse<String> r = postJson("investigator", "/api/v1/national/search", search(vrm, Instant.now().minus(Duration.ofDays(2)), "CASE-N4"));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(json(r).get("error").asText()).isEqualTo("nas-unavailable");
            assertThat(json(r).get("detail").asText()).contains("The National ANPR Service cannot be reached");
        } finally {
            NAS.faults(Faults.NONE);
        }
        assertThat(jdbc.queryForList("select action from audit_log where id > ? and detail->>'reference' = 'CASE-N4' order by id",
                String.class, before)).containsExactly("national.search", "national.search.failed");
    }

    @Test
    void nasRefusingTheForcesCredentialsIsABadGatewayNotTheInvestigatorsFault() throws Exception {
        NAS.searchCredentials("force-01", "rotated-yesterday");
        try {
            HttpResponse<String> r = postJson("investigator", "/api/v1/national/search", search(vrm, Instant.now().minus(Duration.ofDays(2)), "CASE-N5"));
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(json(r).get("detail").asText()).contains("credentials");
        } finally {
            // the simulator is shared by every test of AccessHub (AccessPageIT searches through it afterwards)
            NAS.searchCredentials("force-01", "force-search-secret");
        }
    }

    private static boolean refused(int port) {
        try (java.net.Socket s = new java.net.Socket("localhost", port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
