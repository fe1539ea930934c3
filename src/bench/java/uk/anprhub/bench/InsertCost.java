package uk.anprhub.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser.Normalised;
import uk.anprhub.store.FileImageStore;
import uk.anprhub.store.Partitions;
import uk.anprhub.store.ReadWriter;
import uk.anprhub.store.StoreConfiguration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * PostgreSQL's CPU per read for three ways of writing a batch of reads (issue 17, direction 3), each batch of 500 in
 * one transaction with its raw message row, on one embedded PostgreSQL started the hub's way:
 * <ul>
 *   <li>{@code unnest}: the hub's real {@link ReadWriter} ({@code INSERT ... SELECT FROM unnest(...) ON CONFLICT DO
 *       NOTHING RETURNING}, no outbox hook);
 *   <li>{@code copy-stage}: binary {@code COPY} into a temporary staging table, then {@code INSERT ... SELECT ... ON
 *       CONFLICT DO NOTHING RETURNING} from it — the same duplicate handling as the hub;
 *   <li>{@code copy}: binary {@code COPY} straight into {@code nas_read} — no duplicate handling (a duplicate would
 *       fail the batch), the floor.
 * </ul>
 * Usage: {@code bench/pgcost.sh insert [reads per mode]} (default 100,000); writes {@code target/bench/insert.md}.
 */
public final class InsertCost {

    static final int BATCH = 500;
    private static final long PG_EPOCH_MICROS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli() * 1000;
    private static final String COLUMNS = "read_id, idempotency_key, captured_at, received_at, camera_id, feed, vrm, raw_id, body";

    public static void main(String[] args) throws Exception {
        BenchHome.quietLogging();
        int reads = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path out = Path.of(args.length > 1 ? args[1] : "target/bench/insert.md");
        Path images = Files.createTempDirectory("anpr-insert-images");
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        try (EmbeddedPostgres pg = StoreConfiguration.embeddedPostgres().start();
             HikariDataSource ds = BenchHome.pool(pg, "bench-insert", 4)) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            FileImageStore imageStore = new FileImageStore(images);
            new Partitions(new JdbcTemplate(ds), imageStore, Clock.systemUTC(), 7, 1).ensure();
            LongSupplier cpu = OutboxCost.postgresCpu(ds);
            StringBuilder md = new StringBuilder("""
                    | batch write | reads | PostgreSQL CPU per read | reads/s (one writer) |
                    | --- | ---: | ---: | ---: |
                    """);
            for (String mode : System.getProperty("modes", "unnest,copy-stage,copy,unnest,copy-stage,copy").split(",")) {
                new JdbcTemplate(ds).execute("truncate nas_read, raw_message");
                new JdbcTemplate(ds).execute("checkpoint");
                String run = mode + Long.toString(System.nanoTime(), 36);
                long cpu0 = cpu.getAsLong();
                long t0 = System.nanoTime();
                long n = reads / BATCH;
                if (mode.equals("unnest")) {
                    try (ReadWriter w = new ReadWriter(ds, imageStore, mapper, 1, BATCH, Duration.ofMillis(2), 20_000)) {
                        for (long b = 0; b < n; b++) {
                            BenchReads.Batch batch = BenchReads.batch(b, run, BATCH);
                            w.submit(batch.message(), batch.reads()).get(60, TimeUnit.SECONDS);
                        }
                    }
                } else {
                    ObjectWriter json = mapper.writer();
                    try (Connection c = ds.getConnection()) {
                        c.setAutoCommit(false);
                        for (long b = 0; b < n; b++) {
                            copyBatch(c, BenchReads.batch(b, run, BATCH), json, mode.equals("copy-stage"));
                        }
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long ticks = cpu.getAsLong() - cpu0;
                long stored = new JdbcTemplate(ds).queryForObject("select count(*) from nas_read", Long.class);
                if (stored != n * BATCH) {
                    throw new IllegalStateException(mode + ": stored " + stored + " of " + n * BATCH);
                }
                md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f µs | %,.0f |%n", mode, stored,
                        OutboxCost.micros(ticks, stored), stored / seconds));
                System.out.println(md);
            }
            BenchHome.report(out, md);
        } finally {
            BenchHome.delete(images);
        }
    }

    /** One transaction: the raw message row, then the reads by binary COPY (into staging, or straight in). */
    static void copyBatch(Connection c, BenchReads.Batch batch, ObjectWriter json, boolean stage) throws Exception {
        UUID rawId = UUID.randomUUID();
        try (PreparedStatement raw = c.prepareStatement("insert into raw_message (id, received_at, feed, connector, "
                + "transport, content_type, remote_addr, filename, sha256, payload) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            raw.setObject(1, rawId);
            raw.setTimestamp(2, Timestamp.from(batch.message().receivedAt()));
            raw.setString(3, batch.message().feed());
            raw.setString(4, batch.message().connector());
            raw.setString(5, batch.message().transport());
            raw.setString(6, batch.message().contentType());
            raw.setString(7, batch.message().remoteAddr());
            raw.setString(8, null);
            raw.setString(9, uk.anprhub.normalise.Normaliser.sha256(batch.message().payload()));
            raw.setBytes(10, batch.message().payload());
            raw.executeUpdate();
        }
        byte[] rows = binaryRows(batch.reads(), batch.message().feed(), rawId, json);
        PGConnection pgc = c.unwrap(PGConnection.class);
        if (stage) {
            try (var s = c.createStatement()) {
                s.execute("create temp table if not exists read_stage (read_id uuid, idempotency_key text, "
                        + "captured_at timestamptz, received_at timestamptz, camera_id text, feed text, vrm text, "
                        + "raw_id uuid, body jsonb) on commit delete rows");
            }
            pgc.getCopyAPI().copyIn("copy read_stage from stdin (format binary)", new ByteArrayInputStream(rows));
            try (PreparedStatement ins = c.prepareStatement("insert into nas_read (" + COLUMNS + ") select * from read_stage "
                    + "order by 2 on conflict (idempotency_key, captured_at) do nothing returning read_id, id");
                 ResultSet rs = ins.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(2); // the ids the outbox hook needs, as the hub reads them
                }
            }
        } else {
            pgc.getCopyAPI().copyIn("copy nas_read (" + COLUMNS + ") from stdin (format binary)", new ByteArrayInputStream(rows));
        }
        c.commit();
    }

    /** PostgreSQL's binary COPY format: header, one tuple of 9 fields per read, trailer. */
    static byte[] binaryRows(List<Normalised> reads, String feed, UUID rawId, ObjectWriter json) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(reads.size() * 600);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
        for (Normalised n : reads) {
            UUID id = UUID.randomUUID();
            NasRead read = n.read().withReadId(id);
            out.writeShort(9);
            uuid(out, id);
            text(out, read.idempotencyKey());
            timestamp(out, read.captureTimeUtc());
            timestamp(out, read.receivedTimeUtc());
            text(out, read.cameraId());
            text(out, feed);
            text(out, read.vrm());
            uuid(out, rawId);
            byte[] body = json.writeValueAsBytes(read);
            out.writeInt(body.length + 1);
            out.writeByte(1); // jsonb's binary format: a version byte, then the JSON text
            out.write(body);
        }
        out.writeShort(-1);
        out.flush();
        return bytes.toByteArray();
    }

    private static void uuid(DataOutputStream out, UUID id) throws IOException {
        out.writeInt(16);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void timestamp(DataOutputStream out, Instant t) throws IOException {
        out.writeInt(8);
        out.writeLong(t.getEpochSecond() * 1_000_000 + t.getNano() / 1000 - PG_EPOCH_MICROS);
    }

    private InsertCost() {
    }
}
