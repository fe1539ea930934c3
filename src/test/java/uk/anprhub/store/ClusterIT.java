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
import java.time.Instant;
import java.time.OffsetDateTime;
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
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three hub processes (the real jar) on one PostgreSQL, a NAS simulator, paced camera load through all three behind
 * what a load balancer does (a request a hub cannot take — connection refused or reset, 503 — goes to the next hub).
 * Each hub is restarted once under load: hub 1 killed with SIGKILL (no shutdown hook, no flush), then hubs 0 and 2
 * in turn stopped gracefully (SIGTERM), the way an upgrade is rolled (docs/capacity.md).
 *
 * <p>Every acknowledged read is stored once and delivered, NAS sees duplicates only within docs/delivery.md's bound,
 * no request is refused by every hub and no answer is other than 200 or 503, and each cluster-singleton job
 * (retention/partitions, audit prune: periods shortened to {@value #PERIOD_S} s) ran once per period across the
 * cluster: consecutive runs, from the "Cluster job ... runs" line each hub logs, are at least the lease (9/10 of the
 * period) apart and never more than the period plus the lease.
 *
 * <p>Why one test: the kill and the rolling restart were two classes with a cluster each (ClusterIT, RollingUpgradeIT;
 * 161 s + 94 s of the CI suite), eight hub starts in all; here the same assertions hold over one cluster and six.
 */
class ClusterIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final int PERIOD_S = 3;
    static final int BATCH = 100;
    static final int HUBS = 3;
    static final int CLIENTS = 6;
    static final Duration UP_LIMIT = Duration.ofSeconds(240);

    @TempDir
    Path data;

    @Test
    void threeHubsOneDatabaseSingletonsOncePerPeriodNothingLostThroughAKillAndNothingRefusedThroughARollingRestart()
            throws Exception {
        try (TestDatabase db = TestDatabase.start(); NasSimulator nas = NasSimulator.start(0)) {
            int[] ports = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
            HubProcess[] hubs = new HubProcess[HUBS];
            Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger movedOn = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            Queue<String> unexpected = new ConcurrentLinkedQueue<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Long> stopMillis = new ArrayList<>();
            Instant loadStart;
            Instant loadEnd;
            try {
                // the first alone: it creates the day partitions, and two hubs creating them at once can collide
                // ("relation ... already exists": a start that fails); then the other two together
                hubs[0] = start(db, nas, 0, ports[0]);
                hubs[0].waitUntilUp(UP_LIMIT);
                hubs[1] = start(db, nas, 1, ports[1]);
                hubs[2] = start(db, nas, 2, ports[2]);
                hubs[1].waitUntilUp(UP_LIMIT);
                hubs[2].waitUntilUp(UP_LIMIT);

                loadStart = Instant.now();
                for (int c = 0; c < CLIENTS; c++) {
                    int first = c % HUBS;
                    clients.submit(() -> load(ports, first, loading, acknowledged, movedOn, refused, unexpected));
                }
                Thread.sleep(5_000);
                int beforeKill = acknowledged.size();
                hubs[1].kill9(); // SIGKILL mid-load: no shutdown hook, no flush
                Thread.sleep(2_000);
                hubs[1] = start(db, nas, 1, ports[1]);
                hubs[1].waitUntilUp(UP_LIMIT);
                System.out.println("ClusterIT: hub 1 killed and restarted, " + beforeKill + " reads acknowledged before the kill");
                Thread.sleep(2_000); // all three take load again before the roll
                for (int n : new int[] {0, 2}) { // the rolling restart: each of the others in turn (hub 1 just was)
                    long t0 = System.nanoTime();
                    hubs[n].close(); // SIGTERM: the graceful stop an upgrade starts with
                    stopMillis.add((System.nanoTime() - t0) / 1_000_000);
                    hubs[n] = start(db, nas, n, ports[n]);
                    hubs[n].waitUntilUp(UP_LIMIT);
                    System.out.println("ClusterIT: hub " + n + " restarted gracefully, " + acknowledged.size() + " reads so far");
                    Thread.sleep(2_000); // all three take load again before the next one goes
                }
                loading.set(false);
                loadEnd = Instant.now();
                System.out.println("ClusterIT: " + acknowledged.size() + " reads acknowledged, load "
                        + Duration.between(loadStart, loadEnd).toSeconds() + " s, " + movedOn.get()
                        + " request(s) moved to another hub, " + refused.get() + " refused by every hub; graceful stops took "
                        + stopMillis + " ms");
            } catch (Throwable e) {
                HubProcess.closeAll(hubs); // a failed start or load leaves no hub running
                throw e;
            } finally {
                loading.set(false);
                clients.shutdown();
                clients.awaitTermination(30, TimeUnit.SECONDS);
            }
            try {
                assertThat(unexpected).as("answers other than 200 or 503").isEmpty();
                assertThat(refused.get()).as("requests no hub acknowledged").isZero();
                assertThat(movedOn.get()).as("requests that met a stopped hub (else the test proved nothing)").isPositive();
                assertThat(acknowledged).hasSizeGreaterThan(1000);
                JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
                String[] ids = acknowledged.stream().map(UUID::toString).toArray(String[]::new);
                Integer stored = jdbc.queryForObject("select count(*) from nas_read where read_id = any(?::uuid[])",
                        Integer.class, (Object) ids);
                assertThat(stored).as("acknowledged reads stored").isEqualTo(acknowledged.size());
                Integer twice = jdbc.queryForObject(
                        "select count(*) - count(distinct idempotency_key) from nas_read", Integer.class);
                assertThat(twice).as("reads stored twice").isZero();

                AtomicReference<Set<String>> missing = new AtomicReference<>();
                try {
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                            .until(() -> {
                                Set<String> m = new HashSet<>(List.of(ids));
                                m.removeAll(nas.acceptedReadIds());
                                missing.set(m);
                                return m.isEmpty();
                            });
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError(missing.get().size() + " acknowledged read(s) never delivered to NAS; hub 1's log ends:\n"
                            + hubs[1].logTail());
                }
                long duplicates = nas.stat("duplicates");
                System.out.println("ClusterIT: NAS accepted " + nas.stat("accepted") + ", duplicates " + duplicates
                        + ", requests " + nas.stat("requests"));
                // docs/delivery.md: duplicates <= batch-size x (unanswered sends + batches in flight at a crash); three
                // hubs went down, each with at most its 4 workers' batches in flight (delivery.targets.nas.workers
                // default): the kill, and the two graceful stops, which interrupt a send in flight and offer its batch
                // again (TargetWorker: requeue "shutdown")
                assertThat(duplicates).as("NAS duplicates").isLessThanOrEqualTo(3L * 4 * BATCH);

                for (String job : List.of("retention", "audit-prune")) {
                    List<Instant> runs = runs(job);
                    System.out.println("ClusterIT: " + job + " ran " + runs.size() + " time(s) over the three hubs, gaps (ms) "
                            + gaps(runs));
                    Duration period = Duration.ofSeconds(PERIOD_S);
                    ClusterLocks.Lease lease = ClusterLocks.everyPeriod(period);
                    assertThat(runs).as(job + " runs").hasSizeGreaterThan(5);
                    for (long gap : gaps(runs)) {
                        // the log's clock is the same machine's as the database's; 300 ms for logging and scheduling
                        assertThat(gap).as(job + ": no two runs within its lease").isGreaterThanOrEqualTo(lease.atLeast().toMillis() - 300);
                        assertThat(gap).as(job + ": no gap longer than period + lease")
                                .isLessThanOrEqualTo(period.plus(lease.atLeast()).toMillis() + 1_000);
                    }
                }
            } finally {
                HubProcess.closeAll(hubs);
            }
        }
    }

    private HubProcess start(TestDatabase db, NasSimulator nas, int n, int port) throws IOException {
        Path dir = data.resolve("hub" + n);
        Files.createDirectories(dir);
        return HubProcess.start(dir, port, Map.of("ANPR_DB_URL", db.jdbcUrl(), "ANPR_NAS_URL", nas.nasUrl()),
                "--anpr.retention.initial-delay=PT1S", "--anpr.retention.period=PT" + PERIOD_S + "S",
                "--anpr.audit.prune-initial-delay=PT1S", "--anpr.audit.prune-interval=PT" + PERIOD_S + "S",
                "--anpr.delivery.targets.nas.batch-size=" + BATCH,
                "--logging.level.uk.anprhub.store.ClusterLocks=INFO");
    }

    /**
     * A camera behind a load balancer: sends a batch of 10 reads to one hub; when that hub cannot take it (connection
     * refused or reset, 503) the same batch goes to the next hub, as a balancer's health check and retry would do.
     * Counts a request as refused only when every hub turned it away twice. Paced (~100 reads/s a client): the test
     * is about loss and refusals, not throughput, and unpaced load only slowed the restarts it waits for.
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
                    // killed, stopped or stopping: the balancer moves on
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
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** When each run of {@code job} began on any hub, in order (each hub's log holds its runs across restarts). */
    private List<Instant> runs(String job) throws IOException {
        List<Instant> runs = new ArrayList<>();
        String marker = "Cluster job " + job + " runs on this hub";
        for (int n = 0; n < HUBS; n++) {
            for (String line : Files.readAllLines(data.resolve("hub" + n).resolve("hub.log"))) {
                if (line.contains(marker)) {
                    runs.add(OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant());
                }
            }
        }
        runs.sort(null);
        return runs;
    }

    private static List<Long> gaps(List<Instant> runs) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < runs.size(); i++) {
            gaps.add(Duration.between(runs.get(i - 1), runs.get(i)).toMillis());
        }
        return gaps;
    }
}
