package uk.anprhub.bench.jmh;

import uk.anprhub.bench.BenchHome;
import uk.anprhub.bench.BenchReads;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.message.RawMessage;
import uk.anprhub.normalise.Normaliser.Normalised;
import uk.anprhub.store.FileImageStore;
import uk.anprhub.store.Partitions;
import uk.anprhub.store.ReadWriter;
import uk.anprhub.store.StoreConfiguration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The store's batch insert of {@value #READS} canonical reads through the real {@link ReadWriter} path: one
 * {@code submit} of a message holding 500 normalised nas-json reads, waited for until committed. That is one group
 * commit: the raw message row, the reads by {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING
 * RETURNING}, their delivery outbox rows (target nas), one transaction; plus the hand-off to and from the writer
 * thread. Score = reads committed per second (ops = reads).
 *
 * <p>The database is an embedded PostgreSQL (io.zonky) started in trial setup the way the hub starts its own
 * ({@code uk.anprhub.store.StoreConfiguration}: same builder defaults, {@code max_connections=100},
 * {@code shared_buffers=256MB}, HikariCP with {@code reWriteBatchedInserts}), migrated with the hub's Flyway scripts,
 * with today's partitions created by {@link Partitions}. {@code -p synchronousCommit=off} shows what the WAL flush per commit costs.
 *
 * <p>Keys are unique per invocation (the 500 reads are built in per-invocation setup, not measured), so every
 * read is inserted, never a duplicate; the table grows during the run as it does in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BatchInsertBenchmark {

    static final int READS = 500;

    /** PostgreSQL's {@code synchronous_commit}: "on" is what the hub's store runs with (a WAL flush per commit). */
    @Param({"on"})
    public String synchronousCommit;

    private EmbeddedPostgres pg;
    private HikariDataSource dataSource;
    private ReadWriter writer;
    private Path images;
    private long invocation;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private List<Normalised> reads;
    private RawMessage message;

    @Setup(Level.Trial)
    public void start() throws Exception {
        BenchHome.quietLogging();
        pg = StoreConfiguration.embeddedPostgres().setServerConfig("synchronous_commit", synchronousCommit).start();
        dataSource = BenchHome.pool(pg, "bench-store", 16);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        images = Files.createTempDirectory("anpr-bench-images");
        FileImageStore imageStore = new FileImageStore(images);
        new Partitions(new JdbcTemplate(dataSource), imageStore, Clock.systemUTC(), 7, 1).ensure();
        // what Spring Boot's ObjectMapper does with the hub's application.yaml (non_null, ISO dates)
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        writer = new ReadWriter(dataSource, imageStore, mapper, 2, READS, Duration.ofMillis(2), 20_000);
    }

    @Setup(Level.Invocation)
    public void nextBatch() {
        BenchReads.Batch b = BenchReads.batch(invocation++, run, READS);
        reads = b.reads();
        message = b.message();
    }

    @Benchmark
    @OperationsPerInvocation(READS)
    public ReadWriter.Stored insert500() throws Exception {
        ReadWriter.Stored s = writer.submit(message, reads).get(30, TimeUnit.SECONDS);
        if (s.stored() != READS) {
            throw new IllegalStateException("stored " + s.stored() + " of " + READS + " (duplicates: keys not unique)");
        }
        return s;
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (writer != null) {
            writer.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
        if (pg != null) {
            pg.close();
        }
        if (images != null) {
            try (var files = Files.walk(images)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
