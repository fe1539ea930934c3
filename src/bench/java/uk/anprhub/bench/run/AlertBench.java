package uk.anprhub.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench/run.sh alerts} (docs/performance.md, "Hotlists and alerts"): the hub as its own process on its own
 * PostgreSQL, 1 M hotlist entries imported, then (1) 2,000 reads/s over HTTP for a while, 1 % of them listed, with an
 * investigator's alert stream open: latency from the camera request sent to the SSE event received; (2) ingest as fast
 * as acknowledged, matching on; then the hub restarted with {@code anpr.hotlists.matching=false} on the same data and
 * (2) again: the throughput ratio. Writes {@code alerts.md} to the output folder. Not part of {@code verify}.
 */
public final class AlertBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "bench-alerts-password";
    static final int ENTRIES = Integer.getInteger("bench.entries", 1_000_000);
    static final int RATE = Integer.getInteger("bench.rate", 2_000);
    /** Camera requests the load generator keeps open at most (each a camera waiting for its acknowledgement). */
    static final int IN_FLIGHT = Integer.getInteger("bench.in-flight", 64);
    static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    static final int SATURATE_SECONDS = Integer.getInteger("bench.saturate-seconds", 20);

    private final Path root = Path.of("").toAbsolutePath();
    private final Path jar = root.resolve("target/anpr-hub.jar");
    private final Path out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private URI hub;

    private AlertBench(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench").toAbsolutePath();
        AlertBench b = new AlertBench(out);
        Runtime.getRuntime().addShutdownHook(new Thread(b::stopAll));
        b.run();
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(out.resolve("logs"));
        try (BenchRun.Database db = BenchRun.Database.start(out.resolve("pg-alerts"))) {
            int nasPort = freePort();
            start("nas-sim-alerts", List.of("java", "-jar", jar.toString(), "nas-sim", "--port", "" + nasPort), Map.of());
            line("# Hotlists and alerts — bench/run.sh alerts, %s, %d cores, load average before: %s%n", Instant.now()
                    .truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(), BenchRun.loadAverage());

            Process on = startHub(db, nasPort, true);
            importEntries();
            latency();
            double on1 = saturate("matching on, 1st");
            stop(on);
            Process off = startHub(db, nasPort, false);
            double without = saturate("matching off");
            stop(off);
            Process again = startHub(db, nasPort, true);
            double on2 = saturate("matching on, 2nd");
            stop(again);
            double withMatching = (on1 + on2) / 2; // on, off, on: drift of the shared machine's load is averaged out
            line("%nIngest with matching on (mean of both runs) / off (same run, same database, 1 M entries loaded): %.0f / %.0f reads/s = %.3f%n",
                    withMatching, without, withMatching / without);
            line("Load average after: %s%n", BenchRun.loadAverage());
            Files.writeString(out.resolve("alerts.md"), report);
            System.out.println("written: " + out.resolve("alerts.md"));
        } finally {
            stopAll();
        }
    }

    private Process startHub(BenchRun.Database db, int nasPort, boolean matching) throws Exception {
        int port = freePort();
        hub = URI.create("http://localhost:" + port);
        String hash = new BCryptPasswordEncoder().encode(PASSWORD);
        Path config = out.resolve("hub-alerts.yaml");
        Files.writeString(config, """
                anpr:
                  users:
                    - { name: lists, password-hash: "%s", roles: [hotlist-manager] }
                    - { name: officer, password-hash: "%s", roles: [investigator] }
                """.formatted(hash, hash));
        Process p = start("hub-alerts-" + (matching ? "on" : "off"), List.of("java", "-Danpr.home=" + root, "-jar", jar.toString(), "run",
                "--demo", "--logging.level.root=WARN", "--logging.level.uk.anprhub.hotlist=INFO", "--anpr.hotlists.matching=" + matching),
                Map.of("ANPR_DB_URL", db.url(), "ANPR_DB_USER", db.user(), "ANPR_DB_PASSWORD", db.password(),
                        "ANPR_DATA_DIR", out.resolve("data-alerts").toString(), "SERVER_PORT", "" + port,
                        "ANPR_NAS_URL", "http://localhost:" + nasPort + "/nas/v1", "ANPR_CONFIG", config.toString()));
        long end = System.currentTimeMillis() + 180_000;
        while (true) {
            try {
                if (get("/actuator/health").contains("\"UP\"")) {
                    break;
                }
            } catch (IOException e) { // not listening yet
            }
            if (System.currentTimeMillis() > end || !p.isAlive()) {
                throw new IllegalStateException("hub did not start, see " + out.resolve("logs"));
            }
            Thread.sleep(500);
        }
        return p;
    }

    private void importEntries() throws Exception {
        send("lists", "POST", "/api/v1/hotlists", "application/json",
                "{\"id\":\"bench\",\"owner\":\"bench\",\"hitRole\":\"investigator\",\"fuzzy\":true}");
        StringBuilder csv = new StringBuilder(ENTRIES * 18).append("vrm,category,priority\n");
        for (int i = 0; i < ENTRIES; i++) {
            csv.append(listed(i)).append(",stolen,").append(i % 101).append('\n');
        }
        long t = System.nanoTime();
        HttpResponse<String> r = send("lists", "POST", "/api/v1/hotlists/bench/import?mode=replace", "text/csv", csv.toString());
        double s = (System.nanoTime() - t) / 1e9;
        if (r.statusCode() != 200) {
            throw new IllegalStateException("import: " + r.statusCode() + " " + r.body());
        }
        line("%nImport of %,d entries (one CSV, %.1f MB, replace) until the hub's index matched with them: %.1f s (%s)%n",
                ENTRIES, csv.length() / 1e6, s, r.body());
    }

    /** Listed plates: "L" + 6 characters; unlisted reads start with "U". */
    static String listed(int i) {
        return "L" + Integer.toString(i, 36).toUpperCase() + "X";
    }

    private void latency() throws Exception {
        Map<String, Long> sent = new ConcurrentHashMap<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        HttpRequest streamReq = HttpRequest.newBuilder(hub.resolve("/api/v1/alerts/stream")).header("Authorization", basic("officer")).build();
        HttpResponse<InputStream> stream = http.send(streamReq, HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> read(stream.body(), sent, latencies), "sse-reader");
        reader.setDaemon(true);
        reader.start();

        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong behind = new AtomicLong();
        AtomicLong n = new AtomicLong();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(IN_FLIGHT);
        int perTick = RATE / 10 / 100; // every 10 ms: camera requests of 10 reads each (single reads top out ~1,700/s here)
        CountDownLatch done = new CountDownLatch(1);
        long end = System.currentTimeMillis() + SECONDS * 1000L;
        ticks.scheduleAtFixedRate(() -> {
            if (System.currentTimeMillis() > end) {
                done.countDown();
                return;
            }
            for (int k = 0; k < perTick; k++) {
                if (!inFlight.tryAcquire()) { // the hub is behind: not sent, counted (the send time must be the real one)
                    behind.addAndGet(10);
                    continue;
                }
                StringBuilder body = new StringBuilder("[");
                List<String> hits = new ArrayList<>(1);
                for (int j = 0; j < 10; j++) {
                    long i = n.incrementAndGet();
                    boolean hit = i % 100 == 0;
                    String vrm = hit ? listed((int) (i * 7919 % ENTRIES)) : "U" + Long.toString(i, 36).toUpperCase() + "Z";
                    if (hit) {
                        hits.add(vrm);
                    }
                    body.append(j == 0 ? "" : ",").append("{\"vrm\":\"").append(vrm).append("\",\"captureTimeUtc\":\"")
                            .append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append("\",\"cameraId\":\"MPS-DEMO-")
                            .append(String.format("%04d", 1 + i % 10)).append("\",\"confidencePct\":90}");
                }
                long t = System.nanoTime();
                hits.forEach(v -> sent.put(v, t));
                http.sendAsync(HttpRequest.newBuilder(hub.resolve("/ingest/nas-json")).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((r, e) -> {
                            inFlight.release();
                            (e == null && r.statusCode() == 200 ? acknowledged : failed).addAndGet(10);
                        });
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        done.await();
        ticks.shutdownNow();
        Thread.sleep(5_000); // the last hits
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        line("%nLatency, camera request sent → SSE event received: %d reads/s offered for %d s (HTTP requests of 10 reads, "
                        + "at most %d in flight, 1 %% listed): %,d reads acknowledged, %,d refused or failed, %,d not sent (all in flight); "
                        + "%d hits received of %d listed reads sent%n",
                RATE, SECONDS, IN_FLIGHT, acknowledged.get(), failed.get(), behind.get(), l.length, n.get() / 100);
        if (l.length > 0) {
            line("p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n", pct(l, 0.50), pct(l, 0.90), pct(l, 0.99), l[l.length - 1]);
        }
        String prom = get("/actuator/prometheus");
        Arrays.stream(prom.split("\n")).filter(s -> s.startsWith("anpr_alert_latency_seconds_count") || s.startsWith("anpr_alert_latency_seconds_sum")
                || s.startsWith("anpr_hotlist_match_dropped_total") || s.startsWith("anpr_hotlist_hits_total"))
                .forEach(s -> line("    %s%n", s));
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void read(InputStream in, Map<String, Long> sent, List<Long> latencies) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String event = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:") && "hit".equals(event)) {
                    long now = System.nanoTime();
                    JsonNode hit = JSON.readTree(line.substring(5));
                    Long t = sent.remove(hit.path("vrm").asText());
                    if (t != null) {
                        latencies.add((now - t) / 1_000_000);
                    }
                } else if (line.isEmpty()) {
                    event = null;
                }
            }
        } catch (IOException e) { // stream closed at the end
        }
    }

    /** Batches of 100 reads from 8 concurrent senders, as fast as the hub acknowledges: reads/s. */
    private double saturate(String label) throws Exception {
        AtomicLong reads = new AtomicLong();
        AtomicLong seq = new AtomicLong(System.nanoTime() % 1_000_000_000L);
        long warm = System.currentTimeMillis() + 5_000;
        long end = warm + SATURATE_SECONDS * 1000L;
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            Thread t = new Thread(() -> {
                while (System.currentTimeMillis() < end) {
                    StringBuilder b = new StringBuilder("[");
                    for (int k = 0; k < 100; k++) {
                        long i = seq.incrementAndGet();
                        String vrm = i % 100 == 0 ? listed((int) (i % ENTRIES)) : "S" + Long.toString(i, 36).toUpperCase();
                        b.append(k == 0 ? "" : ",").append("{\"vrm\":\"").append(vrm).append("\",\"captureTimeUtc\":\"")
                                .append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append("\",\"cameraId\":\"MPS-DEMO-000")
                                .append(1 + i % 9).append("\",\"confidencePct\":90}");
                    }
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(hub.resolve("/ingest/nas-json"))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(b.append(']').toString()))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200 && System.currentTimeMillis() > warm) {
                            reads.addAndGet(100);
                        }
                    } catch (IOException e) {
                        // counted as not acknowledged
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            t.start();
            senders.add(t);
        }
        for (Thread t : senders) {
            t.join();
        }
        double rate = reads.get() / (double) SATURATE_SECONDS;
        line("%nIngest as fast as acknowledged (%s): HTTP nas-json batches of 100, 8 senders, %d s after 5 s warm-up: %.0f reads/s%n",
                label, SATURATE_SECONDS, rate);
        return rate;
    }

    private HttpResponse<String> send(String user, String method, String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(hub.resolve(path)).header("Authorization", basic(user)).header("X-Anpr-Client", "bench")
                .header("Content-Type", type).timeout(Duration.ofMinutes(5))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(hub.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes());
    }

    private void line(String format, Object... args) {
        String s = String.format(format, args);
        report.append(s);
        System.out.print(s);
    }

    private Process start(String name, List<String> cmd, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(out.resolve("logs/" + name + ".log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private void stopAll() {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
