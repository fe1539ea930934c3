package uk.anprhub.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit log's hash chain on a real PostgreSQL (superuser: the test can do what an attacker with the database's
 * keys could): concurrent writers never fork it, {@code bin/anpr-hub audit verify} finds an edited, removed or cut-off
 * row and names it, retention keeps it verifiable, and rows written before the migration are chained by it.
 */
class AuditChainIT {

    static EmbeddedPostgres pg;
    static JdbcTemplate db;
    static String url;
    static List<String> migratedPrev;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        url = pg.getJdbcUrl("postgres", "postgres");
        // the rows of an older hub, written before V4, must be chained by the migration
        Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").target("3.5").load().migrate();
        db = new JdbcTemplate(pg.getPostgresDatabase());
        db.update("insert into audit_log (actor, action, source, detail) values ('ops', 'delivery.replay', '10.0.0.1', '{\"count\": 3}')");
        db.update("insert into audit_log (actor, action, detail) values ('ops', 'quarantine.list', null)");
        Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
        migratedPrev = db.queryForList("select prev_hash from audit_log order by id", String.class);
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @BeforeEach
    void intactBefore() {
        assertThat(verify()).startsWith("0 intact");
    }

    @Test
    void rowsOfAnOlderHubAreChainedByTheMigrationAndNewRowsFollowThem() {
        assertThat(migratedPrev).hasSize(2);
        assertThat(migratedPrev.get(0)).isEqualTo(AuditChain.GENESIS);
        assertThat(migratedPrev.get(1)).isNotEqualTo(AuditChain.GENESIS);
        long id = insert("investigator", "national.search");
        String before = db.queryForObject("select hash from audit_log where id = (select max(id) from audit_log where id < ?)", String.class, id);
        assertThat(db.queryForObject("select prev_hash from audit_log where id = ?", String.class, id)).isEqualTo(before);
    }

    @Test
    void concurrentWritersOnSeveralConnectionsKeepOneChainInIdOrder() throws Exception {
        long before = db.queryForObject("select count(*) from audit_log", Long.class);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                try (var c = pg.getPostgresDatabase().getConnection(); var s = c.prepareStatement(
                        "insert into audit_log (actor, action, detail) values (?, 'test.concurrent', jsonb_build_object('i', ?))")) {
                    for (int i = 0; i < 100; i++) {
                        s.setString(1, "writer-" + thread);
                        s.setInt(2, i);
                        s.executeUpdate();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(db.queryForObject("select count(*) from audit_log", Long.class)).isEqualTo(before + 800);
        assertThat(verify()).startsWith("0 intact, " + (before + 800) + " rows");
        // no two rows point at the same predecessor: one chain, no fork
        assertThat(db.queryForObject("select count(*) - count(distinct prev_hash) from audit_log", Long.class)).isZero();
    }

    @Test
    void anEditedRowIsNamed() {
        long id = insert("investigator", "reads.search");
        insert("investigator", "reads.search");
        asSuperuserWithoutGuard("update audit_log set detail = '{\"reason\": \"nothing to see\"}' where id = " + id);
        assertThat(verify()).startsWith("1 broken at row " + id + ": its content does not match its hash");
        restore(id);
    }

    @Test
    void aRowRemovedFromTheMiddleIsNamedByItsSuccessor() {
        long id = insert("investigator", "reads.export");
        long next = insert("investigator", "reads.search");
        String saved = db.queryForObject("select row_to_json(a)::text from audit_log a where id = ?", String.class, id);
        asSuperuserWithoutGuard("delete from audit_log where id = " + id);
        assertThat(verify()).startsWith("1 broken at row " + next + ": its prev_hash is not the hash of row");
        asSuperuserWithoutGuard("insert into audit_log select * from json_populate_record(null::audit_log, '" + saved + "')");
    }

    @Test
    void aCutOffTailIsSeenAgainstTheChainHead() {
        long keep = insert("ops", "delivery.pause");
        long last = insert("ops", "delivery.resume");
        String saved = db.queryForObject("select row_to_json(a)::text from audit_log a where id = ?", String.class, last);
        asSuperuserWithoutGuard("delete from audit_log where id = " + last);
        assertThat(verify()).startsWith("1 broken at row " + keep + ": the chain head names row " + last);
        asSuperuserWithoutGuard("insert into audit_log select * from json_populate_record(null::audit_log, '" + saved + "')");
    }

    @Test
    void theTableRefusesUpdateDeleteAndTruncateEvenToItsOwner() {
        long id = insert("ops", "quarantine.list");
        assertThatThrownBy(() -> db.update("update audit_log set actor = 'someone' where id = ?", id))
                .rootCause().hasMessageContaining("audit_log is append-only: UPDATE refused");
        assertThatThrownBy(() -> db.update("delete from audit_log where id = ?", id))
                .rootCause().hasMessageContaining("audit_log is append-only: DELETE refused");
        assertThatThrownBy(() -> db.execute("truncate audit_log"))
                .rootCause().hasMessageContaining("audit_log is append-only: TRUNCATE refused");
        // a row cannot be back-dated or given an id of the writer's choosing: the trigger sets both
        db.update("insert into audit_log (id, at, actor, action) values (1, '2001-01-01T00:00:00Z', 'ops', 'test.backdate')");
        var row = db.queryForMap("select id, at > now() - interval '1 minute' as now from audit_log where action = 'test.backdate'");
        assertThat((Long) row.get("id")).isGreaterThan(id);
        assertThat(row.get("now")).isEqualTo(true);
    }

    @Test
    void retentionDeletesTheOldestRowsAndTheChainStaysVerifiable() {
        // three rows made old (as if written 800 days ago), rechained as the superuser
        long first = db.queryForObject("select min(id) from audit_log", Long.class);
        asSuperuserWithoutGuard("update audit_log set at = now() - interval '800 days' where id < " + (first + 3));
        asSuperuserWithoutGuard(RECHAIN);
        assertThat(verify()).startsWith("0 intact");
        long before = db.queryForObject("select count(*) from audit_log", Long.class);
        assertThatThrownBy(() -> db.queryForObject("select audit_prune('7 days')", Long.class))
                .rootCause().hasMessageContaining("at least 30 days");
        assertThat(db.queryForObject("select audit_prune('730 days')", Long.class)).isEqualTo(3);
        assertThat(db.queryForObject("select count(*) from audit_log", Long.class)).isEqualTo(before - 3 + 1);
        assertThat(db.queryForObject("select detail->>'firstKept' from audit_log where action = 'audit.pruned'", Long.class))
                .isEqualTo(first + 3);
        assertThat(verify()).startsWith("0 intact");
        // removing the (new) oldest row without the prune function is not retention: named
        String saved = db.queryForObject("select row_to_json(a)::text from audit_log a where id = ?", String.class, first + 3);
        asSuperuserWithoutGuard("delete from audit_log where id = " + (first + 3));
        long next = db.queryForObject("select min(id) from audit_log", Long.class);
        assertThat(verify()).startsWith("1 broken at row " + next + ": its predecessors were removed");
        asSuperuserWithoutGuard("insert into audit_log select * from json_populate_record(null::audit_log, '" + saved + "')");
    }

    /** Rewrites every hash in id order from the oldest row's prev_hash (what someone with superuser could do: see docs). */
    static final String RECHAIN = """
            do $$ declare r record; prev text; begin
              select prev_hash into prev from audit_log order by id limit 1;
              for r in select * from audit_log order by id loop
                update audit_log set prev_hash = prev,
                       hash = audit_row_hash(prev, r.id, r.at, r.actor, r.action, r.source, r.detail)
                 where id = r.id returning hash into prev;
              end loop;
              update audit_chain_head set last_id = (select max(id) from audit_log), last_hash = prev;
            end $$""";

    private long insert(String actor, String action) {
        return db.queryForObject("insert into audit_log (actor, action, source, detail) values (?, ?, '127.0.0.1',"
                + " jsonb_build_object('reason', 'checking the chain', 'count', 1)) returning id", Long.class, actor, action);
    }

    private void restore(long id) {
        asSuperuserWithoutGuard("update audit_log set detail = jsonb_build_object('reason', 'checking the chain', 'count', 1) where id = " + id);
    }

    /** As the superuser with the table's triggers off, as an attacker with the database's keys could. */
    private static void asSuperuserWithoutGuard(String sql) {
        db.execute("alter table audit_log disable trigger user");
        try {
            db.execute(sql);
        } finally {
            db.execute("alter table audit_log enable trigger user");
        }
    }

    /** {@code bin/anpr-hub audit verify} in this JVM: "exit-code output". */
    static String verify() {
        PrintStream out = System.out;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        System.setOut(new PrintStream(text, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new uk.anprhub.cli.Launcher()).execute("audit", "verify", "--anpr.db.url=" + url);
        } finally {
            System.setOut(out);
        }
        return code + " " + text.toString(StandardCharsets.UTF_8).strip();
    }
}
