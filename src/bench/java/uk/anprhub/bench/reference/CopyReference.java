package uk.anprhub.bench.reference;

import uk.anprhub.bench.BenchHome;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import uk.anprhub.model.NasRead;
import uk.anprhub.store.FileImageStore;
import uk.anprhub.store.Partitions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Reference line "physical limit" of the benchmark report: how many canonical reads per second one session can
 * {@code COPY} into the hub's reads table ({@code nas_read}) on the same PostgreSQL the hub uses.
 *
 * <p>The rows are what {@code uk.anprhub.store.ReadWriter} inserts into {@code nas_read} for a canonical nas-json read:
 * the same columns ({@code read_id, idempotency_key, captured_at, received_at, camera_id, feed, vrm, raw_id, body}),
 * the body being the read's JSON as the hub serialises it (Jackson, non-null fields, ISO times; ~650 bytes), the
 * capture time within the last minute so today's partition takes it (created if missing with the hub's own
 * {@link Partitions}; the hub's Flyway migrations run first when there is no {@code nas_read} table). Idempotency
 * keys are unique and start with {@value #KEY_PREFIX}. What the hub writes besides (the raw message row and the
 * delivery outbox row of each read) is not part of this line: it is the floor of storing the reads alone.
 *
 * <p>One session, text-format {@code COPY nas_read (...) FROM STDIN}, one transaction per {@value #ROWS_PER_TX} rows.
 * The COPY data is built before the clock starts, so the figure is the server's (and the wire's) rate, not Jackson's.
 * Afterwards every {@value #KEY_PREFIX} row is deleted (and no delivery row was made for them), so the store is left
 * as it was.
 *
 * <p>{@code main(jdbcUrl user password rows)} prints one JSON line {@code {"copyReadsPerSecond":x,"rows":n}}.
 */
public final class CopyReference {

    public static final String KEY_PREFIX = "copyref:";
    static final int ROWS_PER_TX = 10_000;
    static final String COPY = "COPY nas_read (read_id, idempotency_key, captured_at, received_at, camera_id, feed, vrm, "
            + "raw_id, body) FROM STDIN";

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: CopyReference jdbcUrl user password rows");
            System.exit(64);
        }
        BenchHome.quietLogging();
        int rows = Integer.parseInt(args[3]);
        double perSecond = readsPerSecond(args[0], args[1], args[2], rows);
        System.out.println(String.format(Locale.ROOT, "{\"copyReadsPerSecond\":%.1f,\"rows\":%d}", perSecond, rows));
    }

    /** COPYs {@code rows} canonical reads in one session, deletes them again, returns rows per second of the COPY. */
    public static double readsPerSecond(String jdbcUrl, String user, String password, int rows) throws SQLException, IOException {
        if (rows <= 0) {
            throw new IllegalArgumentException("rows must be > 0");
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, user == null || user.isEmpty() ? null : user,
                password == null || password.isEmpty() ? null : password)) {
            prepareSchema(c);
            List<byte[]> chunks = data(rows);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            c.setAutoCommit(false);
            long copied = 0;
            long t0 = System.nanoTime();
            try {
                for (byte[] chunk : chunks) {
                    copied += copy.copyIn(COPY, new ByteArrayInputStream(chunk));
                    c.commit();
                }
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            long nanos = System.nanoTime() - t0;
            if (copied != rows) {
                throw new IllegalStateException("COPY reported " + copied + " rows, expected " + rows);
            }
            deleteOwnRows(c);
            return rows / (nanos / 1e9);
        }
    }

    /** Deletes every row this class ever wrote (also those of an interrupted earlier run). */
    static int deleteOwnRows(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            return s.executeUpdate("delete from nas_read where idempotency_key like '" + KEY_PREFIX + "%'");
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The hub's schema (Flyway, when missing) and today's partitions (the hub's Partitions.ensure). */
    static void prepareSchema(Connection c) {
        SingleConnectionDataSource ds = new SingleConnectionDataSource(c, true);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        if (jdbc.queryForObject("select to_regclass('nas_read') is null", Boolean.class)) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        }
        // ensure() only creates partitions (if not exists); the image store is never touched
        new Partitions(jdbc, new FileImageStore(Path.of(System.getProperty("java.io.tmpdir"), "anpr-copyref-unused")),
                Clock.systemUTC(), 7, 1).ensure();
    }

    /** The COPY text of {@code rows} reads, in chunks of {@value #ROWS_PER_TX} rows (one transaction each). */
    static List<byte[]> data(int rows) throws IOException {
        ObjectWriter json = new ObjectMapper().registerModule(new JavaTimeModule())
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writerFor(NasRead.class);
        String run = Long.toString(System.currentTimeMillis(), 36);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<byte[]> chunks = new ArrayList<>();
        StringBuilder b = new StringBuilder(ROWS_PER_TX * 800);
        for (int i = 0; i < rows; i++) {
            Instant captured = now.minusMillis(1 + (i * 7L) % 60_000);
            String asRead = plate(i);
            String vrm = asRead.replace(" ", "");
            String camera = "MPS-DEMO-" + String.format("%04d", 1 + i % 10);
            String key = KEY_PREFIX + run + ":" + camera + ":" + vrm + ":" + captured.toEpochMilli();
            UUID readId = UUID.randomUUID();
            NasRead read = new NasRead(readId, key, vrm, asRead, captured, captured.toString(), NasRead.TimeSource.DEVICE_UTC,
                    now, "MPS", "MPS-DEMO", camera, new NasRead.DeviceRef("nas", null, null, null, null, null, null, null, null),
                    1, i % 2 == 0 ? NasRead.Direction.TOWARDS : NasRead.Direction.AWAY, i % 2 == 0 ? "TOWARDS" : "AWAY",
                    null, 60 + i % 40, "GBR", 51.5194, -0.2196, null, null, null, null, null,
                    new NasRead.Ingest("nas-json", "nas-json", "http", "127.0.0.1"), null);
            b.append(readId).append('\t');
            text(b, key).append('\t');
            b.append(captured).append('\t').append(now).append('\t');
            text(b, camera).append('\t').append("nas-json").append('\t');
            text(b, vrm).append('\t');
            b.append(UUID.randomUUID()).append('\t'); // raw_id: the hub links each read to its raw message row
            text(b, json.writeValueAsString(read)).append('\n');
            if ((i + 1) % ROWS_PER_TX == 0 || i + 1 == rows) {
                chunks.add(b.toString().getBytes(StandardCharsets.UTF_8));
                b.setLength(0);
            }
        }
        return chunks;
    }

    /** Appends {@code s} escaped for COPY text format. */
    static StringBuilder text(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(ch);
            }
        }
        return b;
    }

    /** A UK-style plate unique per index (up to 26^2 * 10^6 reads). */
    static String plate(long v) {
        return new StringBuilder(8).append((char) ('A' + (v / 26_000_000) % 26)).append((char) ('A' + (v / 1_000_000) % 26))
                .append((char) ('0' + (v / 100_000) % 10)).append((char) ('0' + (v / 10_000) % 10)).append(' ')
                .append((char) ('A' + (v / 1_000) % 10)).append((char) ('A' + (v / 100) % 10))
                .append((char) ('A' + (v / 10) % 10)).append((char) ('0' + v % 10)).toString();
    }


    private CopyReference() {
    }
}
