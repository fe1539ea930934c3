package uk.anprhub.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.delivery.Claimed;
import uk.anprhub.delivery.DeliveryStore;
import uk.anprhub.store.FileImageStore;
import uk.anprhub.store.InsertedReadsHook;
import uk.anprhub.store.Partitions;
import uk.anprhub.store.ReadWriter;
import uk.anprhub.store.StoreConfiguration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * PostgreSQL's CPU per read for three ways of keeping the delivery outbox (issue 17, direction 1), measured on one
 * embedded PostgreSQL started as the hub starts its own, through the hub's real {@link ReadWriter} (group commit of
 * batches of 500, two writer threads):
 * <ul>
 *   <li>{@code rows}: the outbox before issue 17 — a {@code delivery} row per read and target inserted with the read
 *       (the {@link #ROW_PER_READ} hook, as {@code delivery.Outbox} did), leased and marked delivered by
 *       {@link DeliveryStore#claim}/{@link DeliveryStore#complete}'s row path (the cursor switched off);
 *   <li>{@code cursor}: the PgQ technique — each read carries its writing transaction's id ({@code xid8}, a column
 *       default of {@code pg_current_xact_id()}, indexed with the row id); a target reads forward from its cursor, only
 *       below the oldest transaction still running ({@code pg_snapshot_xmin(pg_current_snapshot())}), so a read whose
 *       transaction commits late is never skipped, and moves its cursor once per batch (this harness's own loop);
 *   <li>{@code hub}: the hub's cursor as built (V10__delivery_cursor.sql, {@link DeliveryStore#claim} cutting a
 *       batch with its {@code delivery_batch} lease row, {@link DeliveryStore#complete} finishing it);
 *   <li>{@code none}: the reads alone, not delivered — the floor.
 * </ul>
 * Per scenario: ingest N reads with delivery stopped (PostgreSQL CPU per read stored), then drain them in batches of
 * 500 without sending anywhere (PostgreSQL CPU per read delivered, drain rate of the database side). CPU is read from
 * {@code /proc} for the postmaster and all its processes (backends, WAL writer, checkpointer, autovacuum), so it is
 * CPU time, not wall time: other load on the machine changes it little.
 *
 * <p>Usage: {@code bench/pgcost.sh outbox [reads per scenario]} (default 100,000); prints and writes
 * {@code target/bench/outbox.md}.
 */
public final class OutboxCost {

    static final int BATCH = 500;
    static final int IN_FLIGHT = 8;
    static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    record Result(String scenario, long reads, double ingestMicrosPerRead, double drainMicrosPerRead,
                  double ingestPerSecond, double drainPerSecond) {
    }

    public static void main(String[] args) throws Exception {
        BenchHome.quietLogging();
        int reads = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path out = Path.of(args.length > 1 ? args[1] : "target/bench/outbox.md");
        Path images = Files.createTempDirectory("anpr-outbox-images");
        try (EmbeddedPostgres pg = StoreConfiguration.embeddedPostgres().start();
             HikariDataSource ds = BenchHome.pool(pg, "bench-outbox", 8)) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            FileImageStore imageStore = new FileImageStore(images);
            new Partitions(new JdbcTemplate(ds), imageStore, Clock.systemUTC(), 7, 1).ensure();
            LongSupplier cpu = postgresCpu(ds);
            StringBuilder md = new StringBuilder("""
                    | outbox | reads | PostgreSQL CPU per read stored | per read delivered | stored + delivered | ingest reads/s | drain reads/s (database side) |
                    | --- | ---: | ---: | ---: | ---: | ---: | ---: |
                    """);
            for (String scenario : List.of(System.getProperty("scenarios", "none,rows,cursor,hub,rows,hub,none").split(","))) {
                Result r = run(scenario, reads, ds, imageStore, cpu);
                md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f µs | %s | %s | %,.0f | %s |%n", r.scenario(),
                        r.reads(), r.ingestMicrosPerRead(),
                        r.drainPerSecond() == 0 ? "–" : String.format(Locale.ROOT, "%.1f µs", r.drainMicrosPerRead()),
                        String.format(Locale.ROOT, "%.1f µs", r.ingestMicrosPerRead() + r.drainMicrosPerRead()),
                        r.ingestPerSecond(),
                        r.drainPerSecond() == 0 ? "–" : String.format(Locale.ROOT, "%,.0f", r.drainPerSecond())));
                System.out.println(md);
            }
            BenchHome.report(out, md);
        } finally {
            BenchHome.delete(images);
        }
    }

    static Result run(String scenario, int reads, HikariDataSource ds, FileImageStore images, LongSupplier cpu)
            throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("truncate nas_read, delivery, delivery_batch, raw_message, dead_letter");
        jdbc.execute("alter table nas_read drop column if exists tx");
        jdbc.execute("drop table if exists delivery_cursor");
        switch (scenario) {
            case "cursor" -> {
                jdbc.execute("alter table nas_read add column tx xid8 not null default pg_current_xact_id()");
                jdbc.execute("create index nas_read_tx on nas_read (tx, id)");
                jdbc.execute("create table delivery_cursor (target text primary key, tx xid8 not null, id bigint not null)");
                jdbc.execute("insert into delivery_cursor values ('nas', '0', 0)");
            }
            case "hub" -> { // as V10__delivery_cursor.sql leaves it; the target's cursor starts now
                jdbc.execute("alter table nas_read add column tx xid8");
                jdbc.execute("alter table nas_read alter column tx set default pg_current_xact_id()");
                jdbc.execute("create index nas_read_tx on nas_read (tx, id)");
                jdbc.execute("update delivery_target set cursor_tx = pg_current_xact_id(), cursor_id = 9223372036854775807 where id = 'nas'");
            }
            default -> { // the column DeliveryStore reads, always null, unindexed: no cost at ingest, no cursor
                jdbc.execute("alter table nas_read add column tx xid8");
                jdbc.execute("update delivery_target set cursor_tx = null, cursor_id = null where id = 'nas'");
            }
        }
        jdbc.execute("checkpoint");
        List<InsertedReadsHook> hooks = scenario.equals("rows") ? List.of(ROW_PER_READ) : List.of();
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        String run = scenario + Long.toString(System.nanoTime(), 36);
        long cpu0 = cpu.getAsLong();
        long t0 = System.nanoTime();
        try (ReadWriter writer = new ReadWriter(ds, images, mapper, 2, BATCH, Duration.ofMillis(2), 20_000, null, hooks)) {
            ArrayDeque<CompletableFuture<ReadWriter.Stored>> inFlight = new ArrayDeque<>();
            for (long n = 0; n < reads / BATCH; n++) {
                BenchReads.Batch b = BenchReads.batch(n, run, BATCH);
                inFlight.add(writer.submit(b.message(), b.reads()));
                if (inFlight.size() >= IN_FLIGHT) {
                    inFlight.poll().get(60, TimeUnit.SECONDS);
                }
            }
            for (CompletableFuture<ReadWriter.Stored> f : inFlight) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        long ingestNanos = System.nanoTime() - t0;
        long ingestTicks = cpu.getAsLong() - cpu0;
        long stored = (reads / BATCH) * (long) BATCH;
        // as autovacuum would after a day's first reads: the planner sees the tables as they are
        jdbc.execute("analyze nas_read");
        jdbc.execute("analyze delivery");
        jdbc.execute("analyze delivery_batch");
        if (scenario.equals("cursor")) {
            jdbc.queryForList("explain " + NEXT.replace("?::xid8, ?", "'0'::xid8, 0").replace("< ?::xid8", "< '4000000000'::xid8")
                    .replace("limit ?", "limit 500"), String.class).forEach(l -> System.out.println("    " + l));
        }
        if (scenario.equals("hub")) {
            sizeEstimate(ds, cpu);
            if (Boolean.getBoolean("explain")) { // the claim's look: every probe an index probe, nothing scanned
                jdbc.queryForList("explain analyze " + LOOK.replace("t.id = ?", "t.id = 'nas'"), String.class)
                        .forEach(l -> System.out.println("    " + l));
            }
        }
        long cpu1 = cpu.getAsLong();
        long t1 = System.nanoTime();
        long drained = switch (scenario) {
            case "rows" -> drainRows(new DeliveryStore(ds));
            case "cursor" -> drainCursor(ds);
            case "hub" -> drainHub(new DeliveryStore(ds));
            default -> 0;
        };
        long t2 = System.nanoTime();
        long cpu2 = cpu.getAsLong();
        if (!scenario.equals("none") && drained != stored) {
            throw new IllegalStateException(scenario + ": drained " + drained + " of " + stored);
        }
        return new Result(scenario, stored, micros(ingestTicks, stored), drained == 0 ? 0 : micros(cpu2 - cpu1, drained),
                stored / (ingestNanos / 1e9), drained == 0 ? 0 : drained / ((t2 - t1) / 1e9));
    }

    static double micros(long ticks, long reads) {
        return ticks * (1e6 / TICKS_PER_SECOND) / reads;
    }

    static long drainRows(DeliveryStore store) throws SQLException {
        long total = 0;
        while (true) {
            DeliveryStore.Claim claim = store.claim("nas", BATCH, Long.MAX_VALUE, Duration.ofSeconds(60));
            if (claim.reads().isEmpty()) {
                return total;
            }
            store.complete("nas", claim.reads(), List.of(), List.of());
            total += claim.reads().size();
        }
    }

    /** The hub's own cursor: each claim cuts a batch and leases it (one row), each complete finishes it. */
    static long drainHub(DeliveryStore store) throws SQLException {
        long total = 0;
        while (true) {
            DeliveryStore.Claim claim = store.claim("nas", BATCH, Long.MAX_VALUE, Duration.ofSeconds(60));
            if (claim.reads().isEmpty()) {
                return total;
            }
            store.complete("nas", claim.lease(), claim.reads(), List.of(), List.of());
            total += claim.reads().size();
        }
    }

    /** The row outbox before issue 17 (delivery.Outbox, removed): a delivery row per read and enabled target. */
    static final InsertedReadsHook ROW_PER_READ = (c, reads) -> {
        try (PreparedStatement ins = c.prepareStatement("""
                insert into delivery (target, read_id, captured_at, read_pk)
                select t.id, r.read_id, r.captured_at, r.read_pk
                from unnest(?::text[]::uuid[], ?::text[]::timestamptz[], ?::bigint[]) r(read_id, captured_at, read_pk)
                cross join delivery_target t where t.enabled""")) {
            ins.setArray(1, c.createArrayOf("text", reads.stream().map(r -> r.readId().toString()).toArray()));
            ins.setArray(2, c.createArrayOf("text", reads.stream().map(r -> r.capturedAt().toString()).toArray()));
            ins.setArray(3, c.createArrayOf("int8", reads.stream().map(InsertedReadsHook.InsertedRead::rowId).toArray()));
            ins.executeUpdate();
        }
    };

    // The cursor's read: forward from (tx, id), only below the horizon = the oldest transaction still running when the
    // batch starts (pg_snapshot_xmin of a fresh snapshot, read once per batch); a transaction that commits late holds
    // the horizon back, so its reads are read after it commits, never skipped.
    private static final String NEXT = """
            select id, read_id, captured_at, camera_id, body::text, tx::text as after_tx from nas_read
            where (tx, id) > (?::xid8, ?) and tx < ?::xid8
            order by tx, id limit ?""";

    static long drainCursor(HikariDataSource ds) throws SQLException {
        long total = 0;
        String tx = "0";
        long id = 0;
        try (Connection c = ds.getConnection();
             PreparedStatement horizon = c.prepareStatement("select pg_snapshot_xmin(pg_current_snapshot())::text");
             PreparedStatement next = c.prepareStatement(NEXT);
             PreparedStatement advance = c.prepareStatement("update delivery_cursor set tx = ?::xid8, id = ? where target = 'nas'")) {
            while (true) {
                String below;
                try (ResultSet rs = horizon.executeQuery()) {
                    rs.next();
                    below = rs.getString(1);
                }
                next.setString(1, tx);
                next.setLong(2, id);
                next.setString(3, below);
                next.setInt(4, BATCH);
                int n = 0;
                try (ResultSet rs = next.executeQuery()) {
                    while (rs.next()) {
                        // what a worker hands to the target's adapter, as a claim does
                        new Claimed(rs.getObject(2, java.util.UUID.class), rs.getTimestamp(3).toInstant(), 1,
                                rs.getString(4), rs.getString(5));
                        id = rs.getLong(1);
                        tx = rs.getString(6);
                        n++;
                    }
                }
                if (n == 0) {
                    return total;
                }
                if (Boolean.getBoolean("explain") && total == 10L * BATCH) {
                    try (var e = c.createStatement(); ResultSet rs = e.executeQuery("explain analyze " + NEXT
                            .replace("?::xid8, ?", "'" + tx + "'::xid8, " + id).replace("< ?::xid8", "< '" + below + "'::xid8")
                            .replace("limit ?", "limit " + BATCH))) {
                        while (rs.next()) {
                            System.out.println("    " + rs.getString(1));
                        }
                    }
                }
                advance.setString(1, tx);
                advance.setLong(2, id);
                advance.executeUpdate();
                total += n;
            }
        }
    }

    // A copy of CursorBatches' look (package-private there), for its plan.
    private static final String LOOK = """
            select p.horizon::text as h, t.cursor_tx::text as c_tx, t.cursor_id, p.batch_due, p.rows_due
            from delivery_target t cross join lateral (
                select pg_snapshot_xmin(pg_current_snapshot()) as horizon,
                       exists (select 1 from delivery_batch b where b.target = t.id and b.lease_until <= now()) as batch_due,
                       exists (select 1 from delivery d where d.target = t.id and d.status = 'PENDING'
                                   and d.next_attempt_at <= now()) as rows_due,
                       t.cursor_tx is not null and exists (select 1 from nas_read n
                           where (n.tx, n.id) > (t.cursor_tx, t.cursor_id) and n.tx < pg_snapshot_xmin(pg_current_snapshot())
                           order by n.tx, n.id limit 1) as reads
                offset 0) p
            where t.id = ? and (p.batch_due or p.rows_due or p.reads)""";

    // What a claim reads per read, without and with the wire-size estimate from the JSON (picture sizes in jsonb),
    // summed in the database so that nothing is transferred and no column is optimised away.
    private static final String PLAIN = "select count(*), sum(length(body::text)) from nas_read";
    private static final String SIZED = """
            select count(*), sum(length(body::text)
                   + 4 * ((case when jsonb_typeof(body #> '{plateImage,bytes}') = 'number'
                              then (body #>> '{plateImage,bytes}')::bigint else 0 end + 2) / 3)
                   + 4 * ((case when jsonb_typeof(body #> '{overviewImage,bytes}') = 'number'
                                then (body #>> '{overviewImage,bytes}')::bigint else 0 end + 2) / 3))
            from nas_read""";

    /** PostgreSQL CPU per read of the claim's select without and with the size estimate, twice each, alternating. */
    static void sizeEstimate(HikariDataSource ds, LongSupplier cpu) throws SQLException {
        try (Connection c = ds.getConnection()) {
            StringBuilder line = new StringBuilder("    size estimate, PostgreSQL CPU per read:");
            for (int round = 0; round < 2; round++) {
                for (String sql : List.of(PLAIN, SIZED)) {
                    long rows = 0;
                    long before = cpu.getAsLong();
                    try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                        rs.next();
                        rows = rs.getLong(1);
                    }
                    line.append(String.format(Locale.ROOT, " %s %.2f µs;", sql == PLAIN ? "plain" : "with estimate",
                            micros(cpu.getAsLong() - before, rows)));
                }
            }
            System.out.println(line);
        }
    }

    /** CPU ticks used so far by the postmaster, its reaped children, and its live children. */
    static LongSupplier postgresCpu(HikariDataSource ds) throws SQLException {
        long backend = new JdbcTemplate(ds).queryForObject("select pg_backend_pid()", Long.class);
        long postmaster = stat(backend)[1];
        return () -> {
            long[] pm = stat(postmaster);
            long sum = pm[2] + pm[3] + pm[4] + pm[5];
            for (ProcessHandle child : ProcessHandle.of(postmaster).orElseThrow().children().toList()) {
                long[] s = stat(child.pid());
                sum += s[2] + s[3];
            }
            return sum;
        };
    }

    /** {pid, ppid, utime, stime, cutime, cstime} from /proc/pid/stat (zeros if the process is gone). */
    static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17
            return new long[] {pid, Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                    Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return new long[6];
        }
    }

    private OutboxCost() {
    }
}
