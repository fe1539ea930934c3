package uk.anprhub.delivery;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.normalise.Normaliser.Normalised;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.store.FileImageStore;
import uk.anprhub.store.ReadWriter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17: the delivery cursor never skips a read whose transaction commits long after later ones. Real PostgreSQL,
 * the NAS simulator over HTTP, the service polled as the hub's routes poll it, later reads through the hub's own
 * {@link ReadWriter}.
 */
class LateCommitIT {

    static DeliveryStack stack;
    static HikariDataSource ds;
    static JdbcTemplate jdbc;
    static FileImageStore images;
    static NasSimulator nas;

    @BeforeAll
    static void start() throws Exception {
        stack = DeliveryStack.start(12, "late-commit-it");
        ds = stack.ds;
        jdbc = stack.jdbc;
        images = stack.images;
        nas = stack.nas;
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /**
     * The late transaction inserts its read first (the lower {@code nas_read.id}) and stays open for seconds. Meanwhile
     * a transaction that took its id earlier inserts a read with a higher row id and commits: it is delivered while
     * the late one is still open — a cursor at "the highest id delivered" would now have passed the late read for
     * ever. 200 reads then commit through the hub's writer; they wait behind the open transaction (the horizon),
     * none is lost. When the late transaction finally commits, its read and the 200 are all delivered, once each.
     */
    @Test
    void aReadWhoseTransactionCommitsLongAfterLaterOnesIsStillDelivered() throws Exception {
        DeliveryService s = service();
        DeliveryStore store = new DeliveryStore(ds);
        UUID lateRead;
        UUID earlierRead;
        try (Polling polling = Polling.start(s); Connection earlier = ds.getConnection(); Connection late = ds.getConnection()) {
            earlier.setAutoCommit(false);
            late.setAutoCommit(false);
            transactionId(earlier); // this transaction takes its id before the late one
            lateRead = insertOne(late, "LT");
            earlierRead = insertOne(earlier, "EA");
            earlier.commit(); // committed after the late read was inserted, with a higher row id
            assertThat(rowId(earlierRead)).isGreaterThan(rowIdSeenBy(late, lateRead));

            await("the read committed later delivered while the late transaction is open").atMost(Duration.ofSeconds(10))
                    .until(() -> nas.acceptedReadIds().contains(earlierRead.toString()));

            List<UUID> meanwhile = new ArrayList<>();
            try (ReadWriter writer = new ReadWriter(ds, images, DeliveryIT.MAPPER, 2, 500, Duration.ofMillis(2), 20_000)) {
                List<CompletableFuture<ReadWriter.Stored>> acks = new ArrayList<>();
                for (int m = 0; m < 20; m++) {
                    List<Normalised> reads = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        reads.add(DeliveryIT.read("LC" + m + "X" + i));
                    }
                    acks.add(writer.submit(DeliveryIT.message(), reads));
                }
                for (var f : acks) {
                    meanwhile.addAll(f.get(30, TimeUnit.SECONDS).readIds()); // acknowledged: committed
                }
            }
            assertThat(meanwhile).hasSize(200).doesNotContainNull();
            Thread.sleep(1500); // several polls while the late transaction stays open
            assertThat(nas.acceptedReadIds()).as("nothing past the open transaction is taken")
                    .doesNotContain(lateRead.toString());
            assertThat(store.figures("nas").backlog()).as("the 200 wait, none is lost").isEqualTo(200);

            late.commit(); // long after the later reads
            await("everything delivered once the late transaction commits").atMost(Duration.ofSeconds(15))
                    .until(() -> store.figures("nas").backlog() == 0 && nas.stat("uniqueReadIds") == 202);
        }
        assertThat(nas.acceptedReadIds()).contains(lateRead.toString(), earlierRead.toString());
        assertThat(nas.stat("duplicates")).isZero();
        assertThat(nas.stat("accepted")).isEqualTo(202);
        assertThat(jdbc.queryForObject("select count(*) from delivery_batch", Long.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from dead_letter", Long.class)).isZero();
        s.close();
    }

    private static UUID insertOne(Connection c, String vrmPrefix) throws Exception {
        try (PreparedStatement s = c.prepareStatement(DeliveryIT.INSERT_READS.replace("gen_random_uuid() id", "?::uuid id"))) {
            UUID id = UUID.randomUUID();
            s.setString(1, id.toString());
            s.setString(2, vrmPrefix);
            s.setInt(3, 1);
            s.executeQuery().close();
            return id;
        }
    }

    private static void transactionId(Connection c) throws Exception {
        try (PreparedStatement s = c.prepareStatement("select pg_current_xact_id()"); ResultSet rs = s.executeQuery()) {
            rs.next();
        }
    }

    private static long rowId(UUID readId) {
        return jdbc.queryForObject("select id from nas_read where read_id = ?", Long.class, readId);
    }

    private static long rowIdSeenBy(Connection c, UUID readId) throws Exception {
        try (PreparedStatement s = c.prepareStatement("select id from nas_read where read_id = ?")) {
            s.setObject(1, readId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static DeliveryService service() {
        Map<String, Object> p = new HashMap<>();
        String t = "anpr.delivery.targets.nas.";
        p.put("anpr.delivery.stats-interval", "200ms");
        p.put(t + "url", nas.nasUrl());
        p.put(t + "linger", "20ms");
        p.put(t + "batch-size", "50");
        p.put(t + "workers", "2");
        p.put(t + "max-rate", "0");
        p.put(t + "http.request-timeout", "5s");
        return DeliveryFactory.create(DeliveryProperties.bind(p), ds, images, DeliveryIT.MAPPER, new SimpleMeterRegistry(),
                Clock.systemUTC(), nas.nasUrl(), new AuditLog(jdbc, DeliveryIT.MAPPER), new DefaultSslBundleRegistry());
    }
}
