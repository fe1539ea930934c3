package uk.anprhub.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import uk.anprhub.core.HubProperties;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The store: an external PostgreSQL when {@code ANPR_DB_URL} is set (used as given), else an embedded PostgreSQL
 * whose data lives under {@code ANPR_DATA_DIR/postgres} and survives restarts, locked down by {@link EmbeddedStore}
 * (password in {@code ANPR_DATA_DIR/postgres-secret}).
 */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.context.properties.EnableConfigurationProperties({DbLimits.class, DiskLimits.class,
        StoreProperties.class, RetentionProperties.class})
public class StoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StoreConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(DbLimits db, HubProperties props) throws IOException {
        if (db.external()) {
            return new EmbeddedDatabase(null);
        }
        Path dir = props.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dir);
        log.info("No ANPR_DB_URL: starting embedded PostgreSQL with its data in {}", dir.resolve("postgres"));
        return new EmbeddedDatabase(EmbeddedStore.start(dir, StoreConfiguration::embeddedPostgres));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The embedded server's settings, shared with the benchmarks so they measure the store the hub runs. */
    public static EmbeddedPostgres.Builder embeddedPostgres() {
        return EmbeddedPostgres.builder()
                // zonky starts PostgreSQL with fsync and synchronous_commit off (test-speed defaults); an acknowledged
                // read must survive a crash of the database or the machine, so every commit waits for its WAL flush
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100")
                .setServerConfig("shared_buffers", "256MB");
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedDatabase embedded, DbLimits limits) {
        String url = limits.url();
        HikariConfig c = new HikariConfig();
        if (embedded.store() != null) {
            c.setJdbcUrl(embedded.store().jdbcUrl());
            c.setUsername(embedded.store().user());
            c.setPassword(embedded.store().password());
        } else {
            c.setJdbcUrl(url);
            c.setUsername(blankToNull(limits.user()));
            c.setPassword(blankToNull(limits.password()));
            log.info("Store: PostgreSQL at {}", url.replaceAll("password=[^&]*", "password=***"));
        }
        c.setPoolName("anpr-store");
        c.setMaximumPoolSize(limits.poolSize());
        // a store that is down or frozen must answer 503 fast, not hold senders for 30 s (DbLimits)
        c.setConnectionTimeout(limits.connectTimeout().toMillis());
        c.setValidationTimeout(Math.max(250, Math.min(1_000, limits.connectTimeout().toMillis() / 2)));
        c.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, limits.connectTimeout().toSeconds())));
        c.addDataSourceProperty("loginTimeout", String.valueOf(Math.max(1, limits.connectTimeout().toSeconds())));
        c.addDataSourceProperty("socketTimeout", String.valueOf(Math.max(1, limits.socketTimeout().toSeconds())));
        c.addDataSourceProperty("options", "-c statement_timeout=" + limits.statementTimeout().toMillis()
                + " -c lock_timeout=" + limits.lockTimeout().toMillis()
                + " -c idle_in_transaction_session_timeout=" + limits.idleInTransactionTimeout().toMillis());
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        c.addDataSourceProperty("ApplicationName", "anpr-hub");
        return new HikariDataSource(c);
    }

    @Bean
    FileImageStore imageStore(HubProperties props) {
        return new FileImageStore(props.dataDir().resolve("images").toAbsolutePath().normalize());
    }

    /** Health component {@code db}: from cached state, checked in the background (DbLimits.healthInterval). */
    @Bean(name = "db", destroyMethod = "close")
    DatabaseHealth databaseHealth(DataSource dataSource, DbLimits limits) {
        return new DatabaseHealth(dataSource, limits.healthInterval());
    }

    /** Health component {@code images}: DOWN while pictures cannot be written (probed again on each check). */
    @Bean(name = "images")
    org.springframework.boot.actuate.health.HealthIndicator imagesHealth(FileImageStore images) {
        return () -> {
            String fault = images.fault();
            return fault == null ? org.springframework.boot.actuate.health.Health.up().build()
                    : org.springframework.boot.actuate.health.Health.down().withDetail("error", fault).build();
        };
    }

    /**
     * Health component {@code disk} (Spring Boot's disk-space check of the data dir and of the image store, DOWN below
     * {@code anpr.disk.min-free}) and the gauge {@code anpr_store_disk_free_bytes{path}}.
     */
    @Bean(name = "disk")
    org.springframework.boot.actuate.health.CompositeHealthContributor diskHealth(HubProperties props, FileImageStore images,
                                                                                  DiskLimits limits,
                                                                                  io.micrometer.core.instrument.MeterRegistry meters) {
        Map<String, Path> paths = new java.util.LinkedHashMap<>();
        paths.put("data", props.dataDir().toAbsolutePath().normalize());
        paths.put("images", images.root());
        Map<String, org.springframework.boot.actuate.health.HealthContributor> checks = new java.util.LinkedHashMap<>();
        paths.forEach((name, path) -> {
            checks.put(name, new org.springframework.boot.actuate.system.DiskSpaceHealthIndicator(existing(path).toFile(), limits.minFree()));
            io.micrometer.core.instrument.Gauge.builder("anpr_store_disk_free_bytes", () -> existing(path).toFile().getUsableSpace())
                    .tag("path", name).description("usable bytes on the disk of the data dir / image store")
                    .baseUnit("bytes").register(meters);
        });
        return org.springframework.boot.actuate.health.CompositeHealthContributor.fromMap(checks);
    }

    /** The path, or its nearest existing parent (the image store is created with its first picture). */
    private static Path existing(Path p) {
        Path d = p;
        while (d != null && !Files.exists(d)) {
            d = d.getParent();
        }
        return d == null ? p : d;
    }

    /** At start, in the background: removes pictures no stored read refers to (OrphanPictures). */
    @Bean
    OrphanPictures orphanPictures(FileImageStore images, JdbcTemplate jdbc, Clock clock) {
        OrphanPictures sweep = new OrphanPictures(images, jdbc);
        java.time.Instant startedAt = clock.instant();
        Thread t = new Thread(() -> {
            try {
                sweep.sweep(startedAt);
            } catch (RuntimeException e) {
                log.warn("Picture sweep failed ({}); it runs again at the next start", e.getClass().getSimpleName());
            }
        }, "anpr-picture-sweep");
        t.setDaemon(true);
        t.start();
        return sweep;
    }

    @Bean(destroyMethod = "close")
    ReadWriter readWriter(DataSource dataSource, ImageStore images, ObjectMapper mapper, StoreProperties s,
                          io.micrometer.core.instrument.MeterRegistry meters, DbLimits limits,
                          org.springframework.beans.factory.ObjectProvider<InsertedReadsHook> hooks) {
        ReadWriter writer = new ReadWriter(dataSource, images, mapper, s.writers(), s.batchSize(), s.maxWait(),
                s.maxPendingReads(), limits.commitBound(), hooks.orderedStream().toList()); // the delivery outbox
        io.micrometer.core.instrument.Gauge.builder("anpr_store_pending_reads", writer, ReadWriter::pendingReads)
                .description("reads accepted and waiting for their group commit").register(meters);
        return writer;
    }

    @Bean
    QuarantineStore quarantineStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        return new QuarantineStore(jdbc, mapper);
    }

    @Bean
    Partitions partitions(JdbcTemplate jdbc, ImageStore images, RetentionProperties retention, Clock clock) {
        Partitions p = new Partitions(jdbc, images, clock, retention.days(), retention.partitionsAhead());
        p.ensure();
        return p;
    }

    @Bean
    ClusterLocks clusterLocks(JdbcTemplate jdbc) {
        return new ClusterLocks(jdbc);
    }

    @Bean
    RetentionJob retentionJob(Partitions partitions, ClusterLocks locks, RetentionProperties retention) {
        return new RetentionJob(partitions, locks, ClusterLocks.everyPeriod(retention.period()));
    }

    /**
     * Hourly: create tomorrow's partitions ahead, drop what left the retention window. A cluster singleton: every hub
     * tries each period, the one that takes the lease runs it (two hubs dropping the same partition would fail).
     */
    static final class RetentionJob {
        private final Partitions partitions;
        private final ClusterLocks locks;
        private final ClusterLocks.Lease lease;

        RetentionJob(Partitions partitions, ClusterLocks locks, ClusterLocks.Lease lease) {
            this.partitions = partitions;
            this.locks = locks;
            this.lease = lease;
        }

        @Scheduled(initialDelayString = "${anpr.retention.initial-delay:PT1M}", fixedDelayString = "${anpr.retention.period:PT1H}")
        void run() {
            try {
                locks.runOnce("retention", lease, () -> {
                    partitions.ensure();
                    partitions.applyRetention();
                });
            } catch (RuntimeException e) {
                log.error("Retention/partition job failed; will retry next period", e);
            }
        }
    }

    /** Holds the embedded server (null with an external database) so Spring stops it last. */
    record EmbeddedDatabase(EmbeddedStore store) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (store != null) {
                store.close();
            }
        }
    }
}
