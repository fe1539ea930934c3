package uk.anprhub.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.message.RawMessage;
import uk.anprhub.simulator.nas.Faults;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.normalise.Normaliser.Normalised;
import uk.anprhub.store.FileImageStore;
import uk.anprhub.store.ReadWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery memory bounded by design (issue 11 item 2), against a real PostgreSQL and the NAS simulator over real
 * HTTP: claims bounded by bytes (pictures counted from their stored sizes), a read over the cap going alone, a
 * request timeout that grows with the body, and the wire adapter streaming 200 MB of pictures in a 64 MB heap.
 */
class DeliveryMemoryIT {

    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule());
    static final int MB = 1024 * 1024;
    static DeliveryStack stack;
    static HikariDataSource ds;
    static JdbcTemplate jdbc;
    static FileImageStore images;
    static NasSimulator nas;
    final List<DeliveryService> services = new ArrayList<>();
    final List<Polling> pollers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        stack = DeliveryStack.start(8, "delivery-memory-it");
        ds = stack.ds;
        jdbc = stack.jdbc;
        images = stack.images;
        nas = stack.nas;
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @BeforeEach
    void clean() {
        jdbc.execute("truncate nas_read, raw_message, delivery, delivery_batch, dead_letter");
        nas.faults(Faults.NONE);
        nas.reset();
    }

    @AfterEach
    void closeServices() {
        pollers.forEach(Polling::close);
        services.forEach(DeliveryService::close);
    }

    DeliveryService service(String... keyValues) {
        Map<String, Object> p = new HashMap<>();
        String t = "anpr.delivery.targets.nas.";
        p.put("anpr.delivery.stats-interval", "200ms");
        p.put(t + "url", nas.nasUrl());
        p.put(t + "linger", "50ms");
        p.put(t + "batch-size", "200");
        p.put(t + "workers", "2");
        p.put(t + "max-rate", "0");
        p.put(t + "retry.initial", "100ms");
        p.put(t + "retry.max", "500ms");
        p.put(t + "http.request-timeout", "20s");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(t + keyValues[i], keyValues[i + 1]);
        }
        DeliveryService s = DeliveryFactory.create(DeliveryProperties.bind(p), ds, images, MAPPER, new SimpleMeterRegistry(),
                Clock.systemUTC(), nas.nasUrl(), new AuditLog(jdbc, MAPPER), new DefaultSslBundleRegistry());
        services.add(s);
        return s;
    }

    /**
     * 20 reads with 1 MB pictures (1.33 MB as base64) and one with a 3.5 MB picture, max-batch-bytes 3 MB: no
     * request carries more than two of the 1 MB reads, the big one goes alone, every read arrives once. (Before:
     * one claim of up to batch-size reads, one request of ~28 MB.)
     */
    /** Polls the service's targets as the hub's routes do, until the test ends. */
    void poll(DeliveryService s) {
        pollers.add(Polling.start(s));
    }

    @Test
    void batchesAreBoundedByBytesAndEveryReadArrivesOnce() throws Exception {
        store(20, MB);
        store(1, 3 * MB + MB / 2);
        assertThat(new DeliveryStore(ds).claim("nas", 200, 3 * MB, Duration.ZERO).reads())
                .as("a claim stops at the byte budget").hasSize(2);

        poll(service("max-batch-bytes", "3MB"));

        await().atMost(60, TimeUnit.SECONDS).until(() -> pending() == 0);
        assertThat(nas.stat("accepted")).isEqualTo(21);
        assertThat(nas.stat("uniqueReadIds")).isEqualTo(21);
        assertThat(nas.stat("duplicates")).isZero();
        assertThat(nas.stat("requests")).as("≤ 2 reads of 1 MB per request, the 3.5 MB read alone").isGreaterThanOrEqualTo(11);
        // all 21 went by the cursor: no batch left leased, no read needed a row of its own
        assertThat(jdbc.queryForObject("select count(*) from delivery_batch", Long.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from delivery", Long.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from dead_letter", Long.class)).isZero();
    }

    @Test
    void aClaimTakesOneReadOverTheBudgetAloneAndSaysMoreIsWaiting() throws Exception {
        store(3, 2 * MB);
        DeliveryStore.Claim first = new DeliveryStore(ds).claim("nas", 200, MB, Duration.ofMinutes(1));
        assertThat(first.reads()).hasSize(1);
        assertThat(first.full()).isTrue();
        DeliveryStore.Claim rest = new DeliveryStore(ds).claim("nas", 200, 100 * MB, Duration.ofMinutes(1));
        assertThat(rest.reads()).hasSize(2);
        assertThat(rest.full()).as("the backlog ran out before the limits").isFalse();
    }

    /**
     * NAS answers after 2 s; the base request timeout is 1 s, but a 1 MB picture at the assumed 256 KB/s adds ~5 s:
     * delivered on the first send, no send timed out. (Before: every send timed out at 1 s and was re-sent.)
     */
    @Test
    void theRequestTimeoutGrowsWithTheBody() throws Exception {
        store(1, MB);
        nas.faults(Faults.NONE.withMode(Faults.Mode.SLOW).merge(MAPPER.createObjectNode().put("latencyMs", 2000)));
        DeliveryService s = service("http.request-timeout", "1s", "http.min-bytes-per-second", "256KB");
        poll(s);

        await().atMost(30, TimeUnit.SECONDS).until(() -> pending() == 0);
        assertThat(nas.stat("accepted")).isEqualTo(1);
        assertThat(nas.stat("duplicates")).isZero();
        assertThat(s.meters().find("anpr_delivery_send_failures").counters()).as("no send failed").isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from delivery", Long.class)).as("no read retried on its own").isZero();
        assertThat(jdbc.queryForObject("select count(*) from delivery_batch", Long.class)).as("no batch re-leased").isZero();
    }

    /**
     * The NAS adapter sends ONE batch of 100 reads × 2 MB pictures (266 MB of JSON) from a JVM limited to a 64 MB
     * heap, to a receiver that checks every picture's SHA-256 (StreamingHarness). Before: OutOfMemoryError.
     */
    @Test
    void theAdapterStreamsPicturesInAHeapSmallerThanOnePictureBatch() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("streaming-harness", ".log");
        Process p = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                StreamingHarness.class.getName(), "100", String.valueOf(2 * MB))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = lastLines(log);
        System.out.println("streaming harness: " + out);
        assertThat(ended).as("harness ended").isTrue();
        assertThat(out).contains("delivered=100 picturesOk=100");
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static String lastLines(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /** nas's backlog as the gauges see it (reads past the cursor, in leased batches, pending rows). */
    static long pending() throws java.sql.SQLException {
        return new DeliveryStore(ds).figures("nas").backlog();
    }

    /** n reads with a plate picture of {@code bytes}, through the real ReadWriter (picture files, sizes in the JSON). */
    static void store(int n, int bytes) throws Exception {
        byte[] picture = new byte[bytes];
        new Random(n).nextBytes(picture);
        Instant t = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        List<Normalised> reads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String vrm = "MEM" + i + "X" + bytes;
            reads.add(new Normalised(new NasRead(null, "mem-" + vrm + "-" + System.nanoTime(), vrm, vrm, t, t.toString(),
                    NasRead.TimeSource.DEVICE_UTC, Instant.now(), "MPS", "MPS-DEMO", "MPS-DEMO-0001", null, null, null, null,
                    null, null, "GBR", null, null, null,
                    new NasRead.ImageRef("image/jpeg", Normaliser.sha256(picture), (long) bytes, null), null, null, null,
                    new NasRead.Ingest("test", "nas-json", "test", null), null), picture, null));
        }
        try (ReadWriter writer = new ReadWriter(ds, images, MAPPER, 1, 500, Duration.ofMillis(2), 1_000)) {
            writer.submit(new RawMessage("{}".getBytes(), "test", "nas-json", "test", "application/json", Map.of(), null, null,
                    null, Instant.now()), reads).get(30, TimeUnit.SECONDS);
        }
    }
}
