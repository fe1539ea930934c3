package uk.anprhub.bench.reference;

import uk.anprhub.bench.BenchHome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.store.FileImageStore;
import uk.anprhub.store.Partitions;
import uk.anprhub.store.StoreConfiguration;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * An embedded PostgreSQL started exactly as the hub starts its own ({@code StoreConfiguration.embeddedPostgres()}:
 * {@code fsync=on}, {@code synchronous_commit=on}, {@code max_connections=100}, {@code shared_buffers=256MB}), migrated with the hub's Flyway
 * scripts and with the hub's partitions, for running the reference lines without a hub:
 * {@code java -cp <test classpath> uk.anprhub.bench.reference.ReferenceDatabase [port]} prints one JSON line
 * {@code {"jdbcUrl":...,"user":"postgres","synchronousCommit":...}} and runs until killed.
 */
public final class ReferenceDatabase {

    public static EmbeddedPostgres start(int port) throws Exception {
        EmbeddedPostgres.Builder b = StoreConfiguration.embeddedPostgres();
        if (port > 0) {
            b.setPort(port);
        }
        EmbeddedPostgres pg = b.start();
        Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
        new Partitions(new JdbcTemplate(pg.getPostgresDatabase()),
                new FileImageStore(Path.of(System.getProperty("java.io.tmpdir"), "anpr-refdb-unused")), Clock.systemUTC(), 7, 1).ensure();
        return pg;
    }

    public static void main(String[] args) throws Exception {
        BenchHome.quietLogging();
        EmbeddedPostgres pg = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
        String sync = new JdbcTemplate(pg.getPostgresDatabase()).queryForObject("show synchronous_commit", String.class);
        System.out.println(String.format(Locale.ROOT, "{\"jdbcUrl\":\"%s\",\"user\":\"postgres\",\"synchronousCommit\":\"%s\"}",
                pg.getJdbcUrl("postgres", "postgres"), sync));
        System.out.flush();
        Thread.currentThread().join();
    }

    private ReferenceDatabase() {
    }
}
