package uk.anprhub.access;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code GET /api/v1/audit} on a running hub: filters by user, action (a family with *), reference and a bounded time
 * range; keyset pages that neither skip nor repeat; the CSV export streamed with every selected row and spreadsheet
 * formulas defused; each read of the audit is itself audited with its count; and the hub's own database role cannot
 * change or remove a row.
 */
class AuditApiIT extends AccessHub {

    static final String REF = "AUD-" + System.nanoTime();
    static Instant from;
    /** Just after the rows above: the auditor's own reads of them (audit.read, with the same reference) come later. */
    static Instant to;

    @BeforeAll
    static void rows(@Autowired JdbcTemplate jdbc) {
        from = Instant.now().minusSeconds(5);
        // 30 searches of one case by one investigator, 5 by another, and a row whose account a spreadsheet would run
        jdbc.update("insert into audit_log (actor, action, source, detail) select 'inv-a', 'reads.search', '10.1.1.1',"
                + " jsonb_build_object('reason', 'a reason for the search', 'reference', ?, 'purpose', 'intelligence', 'count', g)"
                + " from generate_series(1, 30) g", REF);
        jdbc.update("insert into audit_log (actor, action, detail) select 'inv-b', 'national.search',"
                + " jsonb_build_object('reference', ?) from generate_series(1, 5)", REF);
        jdbc.update("insert into audit_log (actor, action, detail) values ('=HYPERLINK(\"http://x\")', 'login.failed', jsonb_build_object('reference', ?))", REF);
        to = jdbc.queryForObject("select max(at) from audit_log where detail->>'reference' = ?", java.sql.Timestamp.class, REF)
                .toInstant().plusNanos(1_000);
    }

    private HttpResponse<String> get(String user, String query) throws Exception {
        return send(as(user, "/api/v1/audit?" + query).GET());
    }

    private static String q(Object... kv) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            s.append(i == 0 ? "" : "&").append(kv[i]).append('=').append(URLEncoder.encode(String.valueOf(kv[i + 1]), StandardCharsets.UTF_8));
        }
        return s.toString();
    }

    @Test
    void filtersByUserActionAndReferenceAndPagesWithoutGapsOrRepeats() throws Exception {
        String base = q("reference", REF, "user", "inv-a", "action", "reads.*", "from", from, "to", Instant.now().plusSeconds(5), "limit", 7);
        Set<Long> seen = new HashSet<>();
        List<Long> order = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            JsonNode page = json(get("auditor", base + (before == null ? "" : "&before=" + before)));
            for (JsonNode row : page.get("rows")) {
                assertThat(row.get("actor").asText()).isEqualTo("inv-a");
                assertThat(row.get("detail").get("reference").asText()).isEqualTo(REF);
                assertThat(row.get("hash").asText()).hasSize(64);
                assertThat(seen.add(row.get("id").asLong())).isTrue();
                order.add(row.get("id").asLong());
            }
            before = page.hasNonNull("next") ? page.get("next").asText() : null;
            pages++;
        } while (before != null);
        assertThat(seen).hasSize(30);
        assertThat(pages).isEqualTo(5);
        assertThat(order).isSortedAccordingTo((a, b) -> Long.compare(b, a)); // newest first
        JsonNode other = json(get("auditor", q("reference", REF, "user", "inv-b", "from", from)));
        assertThat(other.get("rows")).hasSize(5);
    }

    @Test
    void theAuditorsReadsAreAuditedWithFiltersAndCount() throws Exception {
        long last = lastAuditId();
        JsonNode page = json(get("auditor", q("reference", REF, "action", "national.search", "from", from)));
        assertThat(page.get("rows")).hasSize(5);
        var row = jdbc.queryForMap("select actor, source, detail->>'reference' as reference, detail->>'count' as count,"
                + " detail->>'action' as action from audit_log where id > ? and action = 'audit.read'", last);
        assertThat(row).containsEntry("actor", "auditor").containsEntry("source", "127.0.0.1").containsEntry("reference", REF)
                .containsEntry("count", "5").containsEntry("action", "national.search");
    }

    @Test
    void theTimeRangeIsBounded() throws Exception {
        HttpResponse<String> wide = get("auditor", q("from", Instant.now().minus(Duration.ofDays(400)), "to", Instant.now()));
        assertThat(wide.statusCode()).isEqualTo(400);
        assertThat(json(wide).get("detail").asText()).contains("at most 366 days");
        assertThat(get("auditor", q("from", Instant.now(), "to", Instant.now().minusSeconds(60))).statusCode()).isEqualTo(400);
        assertThat(get("auditor", q("limit", 5000)).statusCode()).isEqualTo(400);
    }

    @Test
    void theCsvExportHoldsEverySelectedRowDefusesFormulasAndIsAudited() throws Exception {
        long last = lastAuditId();
        HttpResponse<String> r = get("auditor", q("reference", REF, "from", from, "to", to, "format", "csv"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        List<String> lines = r.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("id,at,actor,action,source,reason,reference,purpose,count,detail,prev_hash,hash");
        assertThat(lines).hasSize(1 + 36);
        assertThat(lines).anyMatch(l -> l.contains(",\"'=HYPERLINK(\"\"http://x\"\")\",login.failed,"));
        assertThat(lines).noneMatch(l -> l.matches("^[^,]*,[^,]*,=.*"));
        assertThat(lines.get(1)).contains(",inv-a,reads.search,10.1.1.1,a reason for the search," + REF + ",intelligence,1,");
        assertThat(jdbc.queryForObject("select detail->>'count' from audit_log where id > ? and action = 'audit.export' and actor = 'auditor'",
                String.class, last)).isEqualTo("36");
    }

    @Test
    void auditVerifyReadsTheRunningHubsEmbeddedStoreWithTheSettingsOfRun() {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(text, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new picocli.CommandLine(new uk.anprhub.cli.Launcher()).execute("audit", "verify", "--anpr.data-dir=" + DATA);
        } finally {
            System.setOut(out);
        }
        // other hubs of this test JVM may log to the same stdout meanwhile: look for the command's own line
        assertThat(code).isZero();
        assertThat(text.toString(StandardCharsets.UTF_8).lines()).anyMatch(l -> l.startsWith("intact, "));
    }

    @Test
    void theHubsOwnDatabaseRoleCannotChangeOrRemoveARow() {
        long id = lastAuditId();
        assertThatThrownBy(() -> jdbc.update("update audit_log set detail = '{}' where id = ?", id))
                .rootCause().hasMessageContaining("audit_log is append-only: UPDATE refused");
        assertThatThrownBy(() -> jdbc.update("delete from audit_log where id = ?", id))
                .rootCause().hasMessageContaining("audit_log is append-only: DELETE refused");
        assertThatThrownBy(() -> jdbc.execute("truncate audit_log"))
                .rootCause().hasMessageContaining("audit_log is append-only: TRUNCATE refused");
        assertThatThrownBy(() -> jdbc.queryForObject("select audit_prune('1 day')", Long.class))
                .rootCause().hasMessageContaining("at least 30 days");
    }
}
