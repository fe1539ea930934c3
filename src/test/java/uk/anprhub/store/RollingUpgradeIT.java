package uk.anprhub.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.support.FreePorts;
import uk.anprhub.support.HubProcess;
import uk.anprhub.support.TestDatabase;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling restart through a cluster of two hub processes (the real jar) on one PostgreSQL, under load, the way an
 * upgrade is rolled (docs/capacity.md): each hub in turn is stopped gracefully (SIGTERM: readiness goes to refusing,
 * in-flight requests finish, commits finish) and started again, while the other takes the cameras. The cameras sit
 * behind what a load balancer does: a request a hub cannot take (connection refused, 503) goes to the next hub.
 * Nothing may be refused: every request is acknowledged by some hub, every acknowledged read is stored once and
 * delivered to the NAS simulator.
 */
class RollingUpgradeIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final Duration UP_LIMIT = Duration.ofSeconds(240);
    static final int HUBS = 2;
    static final int CLIENTS = 4;

    @TempDir
    Path data;

    @Test
    void everyHubRestartedInTurnUnderLoadWithNoRequestRefused() throws Exception {
        try (TestDatabase db = TestDatabase.start(); NasSimulator nas = NasSimulator.start(0)) {
            int[] ports = new int[HUBS];
            AtomicReferenceArray<HubProcess> hubs = new AtomicReferenceArray<>(HUBS);
            Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger movedOn = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            Queue<String> unexpected = new ConcurrentLinkedQueue<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Long> stopMillis = new ArrayList<>();
            try {
                // one after the other: the first creates the day partitions, and two hubs creating them at once can
                // collide ("relation ... already exists": a start that fails)
                for (int n = 0; n < HUBS; n++) {
                    ports[n] = FreePorts.next();
                    hubs.set(n, start(db, nas, n, ports[n]));
                    hubs.get(n).waitUntilUp(UP_LIMIT);
                }
                for (int c = 0; c < CLIENTS; c++) {
                    int first = c % HUBS;
                    clients.submit(() -> load(ports, first, loading, acknowledged, movedOn, refused, unexpected));
                }
                Thread.sleep(3_000);
                for (int n = 0; n < HUBS; n++) {
                    long t0 = System.nanoTime();
                    hubs.get(n).close(); // SIGTERM: the graceful stop an upgrade starts with
                    stopMillis.add((System.nanoTime() - t0) / 1_000_000);
                    hubs.set(n, start(db, nas, n, ports[n]));
                    hubs.get(n).waitUntilUp(UP_LIMIT);
                    System.out.println("RollingUpgradeIT: hub " + n + " restarted, " + acknowledged.size() + " reads so far");
                    Thread.sleep(2_000); // both take load again before the next one goes
                }
            } catch (Throwable e) {
                closeAll(hubs); // a failed start or restart leaves no hub running
                throw e;
            } finally {
                loading.set(false);
                clients.shutdown();
                clients.awaitTermination(30, TimeUnit.SECONDS);
            }
            try {
                System.out.println("RollingUpgradeIT: " + acknowledged.size() + " reads acknowledged, "
                        + movedOn.get() + " request(s) moved to the other hub, " + refused.get()
                        + " refused by every hub; graceful stops took " + stopMillis + " ms");
                assertThat(unexpected).as("answers other than 200 or 503").isEmpty();
                assertThat(refused.get()).as("requests no hub acknowledged").isZero();
                assertThat(movedOn.get()).as("requests that met a stopped hub (else the test proved nothing)").isPositive();
                assertThat(acknowledged).hasSizeGreaterThan(500);
                JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
                String[] ids = acknowledged.stream().map(UUID::toString).toArray(String[]::new);
                assertThat(jdbc.queryForObject("select count(*) from nas_read where read_id = any(?::uuid[])",
                        Integer.class, (Object) ids)).as("acknowledged reads stored").isEqualTo(acknowledged.size());
                assertThat(jdbc.queryForObject("select count(*) - count(distinct idempotency_key) from nas_read",
                        Integer.class)).as("reads stored twice").isZero();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            Set<String> missing = new HashSet<>(List.of(ids));
                            missing.removeAll(nas.acceptedReadIds());
                            assertThat(missing).as("acknowledged reads not delivered to NAS").isEmpty();
                        });
            } finally {
                closeAll(hubs);
            }
        }
    }

    private static void closeAll(AtomicReferenceArray<HubProcess> hubs) throws InterruptedException {
        HubProcess[] all = new HubProcess[hubs.length()];
        for (int n = 0; n < all.length; n++) {
            all[n] = hubs.get(n);
        }
        HubProcess.closeAll(all);
    }

    private HubProcess start(TestDatabase db, NasSimulator nas, int n, int port) throws IOException {
        Path dir = data.resolve("hub" + n);
        Files.createDirectories(dir);
        return HubProcess.start(dir, port, Map.of("ANPR_DB_URL", db.jdbcUrl(), "ANPR_NAS_URL", nas.nasUrl()));
    }

    /**
     * A camera behind a load balancer: sends a batch to one hub; when that hub cannot take it (connection refused or
     * reset, 503) the same batch goes to the next hub, as a balancer's health check and retry would do. Counts a
     * request as refused only when every hub turned it away twice.
     */
    private static void load(int[] ports, int first, AtomicBoolean loading, Set<UUID> acknowledged,
                             AtomicInteger movedOn, AtomicInteger refused, Queue<String> unexpected) {
        int hub = first;
        while (loading.get()) {
            String body = TestReads.array(10);
            boolean done = false;
            for (int attempt = 0; attempt < 2 * ports.length && !done; attempt++) {
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + ports[hub] + "/ingest/nas-json"))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        JSON.readTree(r.body()).get("readIds").forEach(id -> acknowledged.add(UUID.fromString(id.asText())));
                        done = true;
                    } else if (r.statusCode() != 503) {
                        unexpected.add(r.statusCode() + " " + r.body());
                        done = true;
                    }
                } catch (IOException e) {
                    // stopped or stopping: the balancer moves on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (!done) {
                    movedOn.incrementAndGet();
                    hub = (hub + 1) % ports.length;
                    if (attempt >= ports.length - 1) {
                        pause();
                    }
                }
            }
            if (!done) {
                refused.incrementAndGet();
            }
            pause(); // a paced camera (~100 reads/s per client): the test is about refusals, not throughput
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
