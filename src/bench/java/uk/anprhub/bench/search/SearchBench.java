package uk.anprhub.bench.search;

import uk.anprhub.model.Confusions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.bench.BenchHome;
import uk.anprhub.search.ReadFilter;
import uk.anprhub.search.SearchQuery;
import uk.anprhub.store.FileImageStore;
import uk.anprhub.store.Partitions;
import uk.anprhub.store.StoreConfiguration;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The search benchmark (docs/performance.md, "Search"): a realistic week written straight into an embedded
 * PostgreSQL started as the hub starts its own — {@code ROWS} reads (default 10 M) over 7 days at 2,000 cameras,
 * plates from a pool of 200,000 regulars (~35 reads each per 10 M) and 5 M occasional visitors, busy and quiet
 * cameras — loaded before the V5 indexes so their build on a full store is timed too; then, while a writer inserts
 * {@code INGEST_RATE} reads/s (default 750, three times London's average), {@code QUERIES} (default 200) first
 * pages of each kind over the whole week through the hub's own SQL ({@link ReadFilter}), p50/p95/max, and
 * {@code EXPLAIN (ANALYZE, BUFFERS)} of one of each. Not part of {@code verify}: {@code bench/run.sh search}.
 */
public final class SearchBench {

    static final int CAMERAS = 2000;
    static final long REGULARS = 200_000;
    static final long VISITORS = 5_000_000;

    /** Rows of one generated chunk: plate, camera, time and a canonical read body like the hub stores. */
    static final String GENERATE = """
            insert into nas_read (read_id, idempotency_key, captured_at, received_at, camera_id, feed, vrm, body)
            select id, 'BENCH-' || lpad(cam::text, 4, '0') || ':' || id, ts, ts + interval '800 milliseconds',
                   'BENCH-' || lpad(cam::text, 4, '0'), 'bench', plate,
                   jsonb_build_object('readId', id, 'idempotencyKey', 'BENCH-' || lpad(cam::text, 4, '0') || ':' || id,
                       'vrm', plate, 'vrmAsRead', plate,
                       'captureTimeUtc', to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'captureTimeRaw', to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'timeSource', 'DEVICE_UTC', 'feedId', 'MPS', 'sourceId', 'MPS-BENCH-' || (cam / 100),
                       'cameraId', 'BENCH-' || lpad(cam::text, 4, '0'),
                       'direction', case when cam % 2 = 0 then 'TOWARDS' else 'AWAY' end, 'directionRaw', 'forward',
                       'confidencePct', 60 + (abs(hashtext(id::text)) % 40), 'countryCode', 'GBR',
                       'latitude', 51.3 + (cam * 7919 % 400) / 1000.0, 'longitude', -0.5 + (cam * 104729 % 800) / 1000.0,
                       'plateImage', jsonb_build_object('contentType', 'image/jpeg', 'sha256', md5(id::text) || md5(plate), 'bytes', 4100),
                       'overviewImage', jsonb_build_object('contentType', 'image/jpeg', 'sha256', md5(plate) || md5(id::text), 'bytes', 61000),
                       'ingest', jsonb_build_object('feed', 'bench', 'connector', 'nas-json', 'transport', 'http'))
              from (select gen_random_uuid() as id, ts, cam,
                           chr(65 + (m % 26)::int) || chr(65 + (m / 26 % 26)::int) || lpad((m / 676 % 100)::text, 2, '0')
                           || chr(65 + (m / 67600 % 26)::int) || chr(65 + (m / 1757600 % 26)::int) || chr(65 + (k * 31 % 26)::int) as plate
                      from (select ts, cam, k, (k * 2654435761 + 12345) % 45697600 as m
                              from (select ?::timestamptz + random() * ?::interval as ts,
                                           1 + floor(CAMERAS * power(random(), 1.6))::int as cam,
                                           case when random() < 0.7 then floor(random() * REGULARS)::bigint
                                                else REGULARS + floor(random() * VISITORS)::bigint end as k
                                      from generate_series(1, ?)) a) b) c
            """.replace("CAMERAS", String.valueOf(CAMERAS)).replace("REGULARS", String.valueOf(REGULARS))
            .replace("VISITORS", String.valueOf(VISITORS));

    public static void main(String[] args) throws Exception {
        BenchHome.quietLogging();
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
        long rows = Long.parseLong(env("ROWS", "10000000"));
        int queries = Integer.parseInt(env("QUERIES", "200"));
        int ingestRate = Integer.parseInt(env("INGEST_RATE", "750"));
        Files.createDirectories(out);
        StringBuilder report = new StringBuilder();
        log(report, "# Search benchmark\n\nmachine: %d cores, %s; rows: %,d; queries per kind: %d; concurrent ingest: %d reads/s\n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), rows, queries, ingestRate);

        Path pgDir = Files.createTempDirectory("anpr-search-bench");
        try (EmbeddedPostgres pg = StoreConfiguration.embeddedPostgres().setDataDirectory(pgDir.resolve("pg"))
                .setCleanDataDirectory(true).start()) {
            DataSource ds = pg.getPostgresDatabase();
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            // the store as it was before V5: its indexes come back after the load, built by V5's own text
            jdbc.execute("drop index if exists nas_read_vrm, nas_read_vrm_fuzzy, nas_read_camera, nas_read_vrm_fuzzy_trgm");
            new Partitions(jdbc, new FileImageStore(pgDir.resolve("images")), Clock.systemUTC(), 7, 1).ensure();
            log(report, "PostgreSQL %s, shared_buffers %s, pg_trgm available: %s\n", jdbc.queryForObject("show server_version", String.class),
                    jdbc.queryForObject("show shared_buffers", String.class),
                    jdbc.queryForObject("select count(*) > 0 from pg_available_extensions where name = 'pg_trgm'", Boolean.class));

            // 1. the week, before the search indexes (a store that was full when V5 came)
            Instant weekStart = Instant.now().minus(Duration.ofDays(7)).plus(Duration.ofMinutes(30));
            long chunk = 250_000;
            long t0 = System.nanoTime();
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(GENERATE)) {
                for (long done = 0; done < rows; done += chunk) {
                    long n = Math.min(chunk, rows - done);
                    // chunks walk through the week in order, like arriving reads fill the partitions
                    Duration slice = Duration.ofDays(7).minus(Duration.ofHours(1)).dividedBy(Math.max(1, (rows + chunk - 1) / chunk));
                    ps.setTimestamp(1, Timestamp.from(weekStart.plus(slice.multipliedBy(done / chunk))));
                    ps.setObject(2, new org.postgresql.util.PGInterval(0, 0, 0, 0, 0, slice.toMillis() / 1000.0));
                    ps.setLong(3, n);
                    ps.executeUpdate();
                    System.out.printf(Locale.ROOT, "  generated %,d / %,d rows (%.0f s)%n", done + n, rows, (System.nanoTime() - t0) / 1e9);
                }
            }
            double loadS = (System.nanoTime() - t0) / 1e9;
            jdbc.execute("analyze nas_read");
            log(report, "\n## Load\n\n%,d rows in %.0f s (%.0f rows/s, one INSERT ... SELECT generate_series per 250,000 rows); table %s\n",
                    rows, loadS, rows / loadS, size(jdbc, "select pg_size_pretty(sum(pg_total_relation_size(c.oid))) from pg_class c "
                            + "join pg_inherits i on i.inhrelid = c.oid where i.inhparent = 'nas_read'::regclass"));

            // 2. V5 on the full store
            long m0 = System.nanoTime();
            String v5 = new String(SearchBench.class.getResourceAsStream("/db/migration/V5__search.sql").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute(v5);
            }
            double migrateS = (System.nanoTime() - m0) / 1e9;
            jdbc.execute("analyze nas_read");
            log(report, "\n## V5 migration on the full store\n\n%.0f s for the indexes of V5 over %,d rows. Index sizes (all partitions):\n\n",
                    migrateS, rows);
            for (String idx : List.of("nas_read_vrm", "nas_read_vrm_fuzzy", "nas_read_camera", "nas_read_vrm_fuzzy_trgm", "nas_read_read_id")) {
                log(report, "- %s: %s\n", idx, size(jdbc, """
                        select pg_size_pretty(coalesce(sum(pg_relation_size(i.inhrelid)), 0)) from pg_inherits i
                         where i.inhparent = (select oid from pg_class where relname = '%s')""".formatted(idx)));
            }

            // 3. the queries, while reads keep arriving
            List<String> plates = jdbc.queryForList("select vrm from nas_read tablesample system (1) repeatable (7) limit ?",
                    String.class, queries * 4);
            Random random = new Random(7);
            java.util.Collections.shuffle(plates, random);
            AtomicBoolean ingesting = new AtomicBoolean(true);
            AtomicLong ingested = new AtomicLong();
            Thread ingest = new Thread(() -> ingest(ds, ingestRate, ingesting, ingested), "bench-ingest");
            ingest.start();
            Instant to = Instant.now().plus(Duration.ofMinutes(5));
            Instant from = to.minus(Duration.ofDays(7));
            log(report, "\n## Queries (first page of 50, newest first, the whole 7 days, while %d reads/s are inserted)\n\n", ingestRate);
            log(report, "| kind | queries | p50 ms | p95 ms | max ms | mean rows |\n| --- | --- | --- | --- | --- | --- |\n");
            List<String[]> explain = new ArrayList<>();
            try (Connection c = ds.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("set statement_timeout = '30s'"); // as the hub's pool
                }
                run(report, c, "exact", plates.subList(0, queries), p -> q(p, false, from, to), explain);
                // each wildcard shape on its own: a known prefix (btree), the rest through the trigram index
                int per = Math.max(1, queries / 2);
                List<String> pool = plates.subList(queries, 2 * queries);
                run(report, c, "wildcard prefix AB12*", cycle(pool, per), p -> q(p.substring(0, 4) + "*", false, from, to), explain);
                run(report, c, "wildcard infix *12CD*", cycle(pool, per), p -> q("*" + p.substring(2, 6) + "*", false, from, to), explain);
                run(report, c, "wildcard one unknown AB?2CDE", cycle(pool, per),
                        p -> q(p.substring(0, 2) + "?" + p.substring(3), false, from, to), explain);
                run(report, c, "wildcard suffix *2CDE", cycle(pool, per), p -> q("*" + p.substring(3), false, from, to), explain);
                run(report, c, "fuzzy", plates.subList(2 * queries, 3 * queries), p -> q(confuse(p), true, from, to), explain);
                run(report, c, "fuzzy wildcard", plates.subList(3 * queries, 4 * queries),
                        p -> q(confuse(p).substring(0, 5) + "*", true, from, to), explain);
            }
            ingesting.set(false);
            ingest.join();
            log(report, "\nconcurrent ingest: %,d reads inserted during the queries\n", ingested.get());
            log(report, "\n## Plans (EXPLAIN (ANALYZE, BUFFERS), one query of each kind)\n");
            try (Connection c = ds.getConnection()) {
                for (String[] e : explain) {
                    log(report, "\n### %s\n\n```\n%s```\n", e[0], plan(c, e[1]));
                }
            }
        }
        Files.writeString(out.resolve("search-report.md"), report);
        System.out.println("report: " + out.resolve("search-report.md"));
    }

    /** n plates from the pool, from a random start (wrapping). */
    static List<String> cycle(List<String> pool, int n) {
        int start = (int) (Math.random() * pool.size());
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(pool.get((start + i) % pool.size()));
        return out;
    }

    interface Shape {
        SearchQuery apply(String plate);
    }

    private static int wildcardShape;

    static SearchQuery wildcard(String p, Instant from, Instant to) {
        String pattern = switch (wildcardShape++ % 4) {
            case 0 -> p.substring(0, 4) + "*";                        // AB12*
            case 1 -> "*" + p.substring(2, 6) + "*";                  // *12CD*
            case 2 -> p.substring(0, 2) + "?" + p.substring(3);       // AB?2CDE
            default -> "*" + p.substring(3);                          // *2CDE
        };
        return q(pattern, false, from, to);
    }

    static SearchQuery q(String vrm, boolean fuzzy, Instant from, Instant to) {
        return new SearchQuery(vrm, fuzzy, from, to, List.of(), null, null, 50, null);
    }

    /** The plate as a camera might have misread it: its first confusable character swapped within its class. */
    static String confuse(String p) {
        for (int i = 0; i < p.length(); i++) {
            for (String cls : Confusions.CLASSES) {
                int at = cls.indexOf(p.charAt(i));
                if (at >= 0) {
                    return p.substring(0, i) + cls.charAt((at + 1) % cls.length()) + p.substring(i + 1);
                }
            }
        }
        return p;
    }

    private static void run(StringBuilder report, Connection c, String kind, List<String> plates,
                            java.util.function.Function<String, SearchQuery> shape, List<String[]> explain) throws SQLException {
        long[] ms = new long[plates.size()];
        long found = 0;
        String sample = null;
        for (int i = 0; i < plates.size(); i++) {
            SearchQuery q = shape.apply(plates.get(i));
            ReadFilter f = ReadFilter.of(q);
            String sql = f.pageSql(q.pageSize() + 1);
            long t = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, f.params());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found++;
                    }
                }
            }
            ms[i] = (System.nanoTime() - t) / 1_000_000;
            if (i == plates.size() / 2) {
                sample = inline(sql, f.params());
            }
        }
        Arrays.sort(ms);
        log(report, "| %s | %d | %d | %d | %d | %.1f |\n", kind, ms.length, ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.95) - 1],
                ms[ms.length - 1], (double) found / ms.length);
        explain.add(new String[]{kind, sample});
    }

    private static void run(StringBuilder report, Connection c, String kind, List<String> plates, Wild shape, Instant from,
                            Instant to, List<String[]> explain) throws SQLException {
        run(report, c, kind, plates, p -> shape.apply(p, from, to), explain);
    }

    interface Wild {
        SearchQuery apply(String p, Instant from, Instant to);
    }

    static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            if (v instanceof String[] a) {
                ps.setArray(i + 1, ps.getConnection().createArrayOf("text", a));
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }

    /** The query with its values written in, for EXPLAIN (bench data only: no real plate is ever inlined). */
    static String inline(String sql, List<Object> params) {
        StringBuilder b = new StringBuilder();
        int p = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '?' && p < params.size()) {
                Object v = params.get(p++);
                b.append(v instanceof Timestamp t ? "'" + t.toInstant() + "'::timestamptz" : "'" + v.toString().replace("'", "''") + "'");
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    static String plan(Connection c, String sql) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("explain (analyze, buffers) " + sql)) {
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
        }
        return "-- " + sql + "\n" + b;
    }

    /** Reads arriving now, in batches every 200 ms, through the same generator (as the hub's group commit would). */
    static void ingest(DataSource ds, int rate, AtomicBoolean running, AtomicLong count) {
        int batch = Math.max(1, rate / 5);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(GENERATE)) {
            while (running.get()) {
                long t = System.nanoTime();
                ps.setTimestamp(1, Timestamp.from(Instant.now().minusMillis(200)));
                ps.setObject(2, new org.postgresql.util.PGInterval(0, 0, 0, 0, 0, 0.2));
                ps.setLong(3, batch);
                ps.executeUpdate();
                count.addAndGet(batch);
                long left = 200 - (System.nanoTime() - t) / 1_000_000;
                if (left > 0) {
                    Thread.sleep(left);
                }
            }
        } catch (SQLException | InterruptedException e) {
            System.err.println("ingest stopped: " + e);
        }
    }

    static String size(JdbcTemplate jdbc, String sql) {
        return jdbc.queryForObject(sql, String.class);
    }

    static void log(StringBuilder report, String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        report.append(s);
        System.out.print(s);
    }

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }

    private SearchBench() {
    }
}
