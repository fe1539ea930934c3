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
 * investigator's alert stream open: latency from the camera request sent to the SSE event received, after the same
 * traffic for {@code bench.warmup-seconds} not counted (a just-started hub runs interpreted code: about twice the CPU
 * per request), with the CPU time per request of hub, PostgreSQL and load generator; (2) ingest as fast
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
    /** The same traffic before the measured phase, not counted: the hub's JIT warmed as in service (0: none). */
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 60);
    static final int SATURATE_SECONDS = Integer.getInteger("bench.saturate-seconds", 20);
    /** Senders run this long, not counted, before each throughput phase: each phase starts a new hub (cold JIT). */
    static final int SATURATE_WARMUP_SECONDS = Integer.getInteger("bench.saturate-warmup-seconds", 20);
    /** Reads per camera request in the latency phase. */
    static final int BATCH = Integer.getInteger("bench.batch", 10);
    /** "all", or "latency" for the import and the latency phase only (profiling runs). */
    static final String PHASES = System.getProperty("bench.phases", "all");
    /** Extra JVM options of the hub process, space-separated (e.g. -XX:StartFlightRecording=filename=hub.jfr). */
    static final String HUB_JVM = System.getProperty("bench.hub-jvm", "");

    private final Path root = Path.of("").toAbsolutePath();
    private final Path jar = root.resolve("target/anpr-hub.jar");
    private final Path out;
    /** The camera side's HTTP version: "1.1", or the JDK client's default ("2": HTTP/1.1 with an h2c upgrade offer). */
    static final String HTTP_VERSION = System.getProperty("bench.http", "2");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version("1.1".equals(HTTP_VERSION) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2).build();
    private final List<Process> processes = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private URI hub;
    private final AtomicLong sequence = new AtomicLong(); // reads sent, across phases: no plate sent twice
    private java.util.function.LongSupplier postmaster = () -> 0;

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
            postmaster = db::postmasterPid;
            int nasPort = freePort();
            start("nas-sim-alerts", List.of("java", "-jar", jar.toString(), "nas-sim", "--port", "" + nasPort), Map.of());
            line("# Hotlists and alerts — bench/run.sh alerts, %s, %d cores, load average before: %s%n", Instant.now()
                    .truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(), BenchRun.loadAverage());

            Process on = startHub(db, nasPort, Boolean.parseBoolean(System.getProperty("bench.matching", "true")));
            importEntries();
            try (Sampler sampler = new Sampler(hub, on.pid(), processes.get(0).pid(), db::postmasterPid)) {
                sampler.simulator(ProcessHandle.current().pid());
                if (WARMUP_SECONDS > 0) { // a hub in service runs JIT-compiled code; a just-started one interprets
                    latency(sampler, "warm-up, not counted", WARMUP_SECONDS);
                }
                latency(sampler, "measured", SECONDS);
            }
            if ("latency".equals(PHASES)) {
                stop(on);
                line("Load average after: %s%n", BenchRun.loadAverage());
                Files.writeString(out.resolve("alerts.md"), report);
                System.out.println("written: " + out.resolve("alerts.md"));
                return;
            }
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
        List<String> cmd = new ArrayList<>(List.of("java", "-Danpr.home=" + root));
        Arrays.stream(HUB_JVM.split(" ")).filter(o -> !o.isBlank()).forEach(cmd::add);
        cmd.addAll(List.of("-jar", jar.toString(), "run",
                "--demo", "--logging.level.root=WARN", "--logging.level.uk.anprhub.hotlist=INFO", "--anpr.hotlists.matching=" + matching));
        Process p = start("hub-alerts-" + (matching ? "on" : "off"), cmd,
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

    private void latency(Sampler sampler, String label, int seconds) throws Exception {
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
        AtomicLong n = sequence;
        long first = n.get();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(IN_FLIGHT);
        int perTick = RATE / BATCH / 100; // every 10 ms: camera requests of BATCH reads each
        CountDownLatch done = new CountDownLatch(1);
        sampler.scenario("latency");
        double from = sampler.elapsed();
        long hubPid = processes.get(processes.size() - 1).pid();
        long[] cpu0 = {cpuTicks(List.of(hubPid)), cpuTicks(postgresPids()), cpuTicks(List.of(ProcessHandle.current().pid()))};
        long end = System.currentTimeMillis() + seconds * 1000L;
        ticks.scheduleAtFixedRate(() -> {
            if (System.currentTimeMillis() > end) {
                done.countDown();
                return;
            }
            for (int k = 0; k < perTick; k++) {
                if (!inFlight.tryAcquire()) { // the hub is behind: not sent, counted (the send time must be the real one)
                    behind.addAndGet(BATCH);
                    continue;
                }
                StringBuilder body = new StringBuilder("[");
                List<String> hits = new ArrayList<>(1);
                for (int j = 0; j < BATCH; j++) {
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
                            (e == null && r.statusCode() == 200 ? acknowledged : failed).addAndGet(BATCH);
                        });
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        done.await();
        ticks.shutdownNow();
        double to = sampler.elapsed();
        long[] cpu1 = {cpuTicks(List.of(hubPid)), cpuTicks(postgresPids()), cpuTicks(List.of(ProcessHandle.current().pid()))};
        Thread.sleep(5_000); // the last hits
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        stream.body().close();
        line("%nLatency (%s), camera request sent → SSE event received: %d reads/s offered for %d s (HTTP requests of %d reads, "
                        + "at most %d in flight, 1 %% listed): %,d reads acknowledged, %,d refused or failed, %,d not sent (all in flight); "
                        + "%d hits received of %d listed reads sent%n",
                label, RATE, seconds, BATCH, IN_FLIGHT, acknowledged.get(), failed.get(), behind.get(), l.length, n.get() / 100 - first / 100);
        if (l.length > 0) {
            line("p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n", pct(l, 0.50), pct(l, 0.90), pct(l, 0.99), l[l.length - 1]);
        }
        double requests = acknowledged.get() / (double) BATCH;
        if (requests > 0) { // CPU time, not wall time: what the other load on a shared machine moves least
            line("CPU time per request acknowledged (%d reads): hub %.2f ms, PostgreSQL %.2f ms, load generator (with the SSE reader) %.2f ms%n",
                    BATCH, (cpu1[0] - cpu0[0]) * 10 / requests, (cpu1[1] - cpu0[1]) * 10 / requests, (cpu1[2] - cpu0[2]) * 10 / requests);
        }
        List<Sampler.Sample> phase = sampler.samples().stream().filter(x -> x.t() > from + 2 && x.t() <= to).toList();
        if (!phase.isEmpty()) { // CPU in percent of one core (200 = the whole machine); the first 2 s left out (ramp)
            line("CPU during the phase (%% of one core, mean of %d s): hub %.0f, PostgreSQL %.0f, load generator %.0f, nas-sim %.0f; machine busy %.0f %% of 200%n",
                    phase.size(), mean(phase, Sampler.Sample::hubCpu), mean(phase, Sampler.Sample::pgCpu),
                    mean(phase, Sampler.Sample::simCpu), mean(phase, Sampler.Sample::nasSimCpu), 2 * mean(phase, Sampler.Sample::machineBusy));
        }
        String prom = get("/actuator/prometheus");
        Arrays.stream(prom.split("\n")).filter(s -> s.startsWith("anpr_alert_latency_seconds_count") || s.startsWith("anpr_alert_latency_seconds_sum")
                || s.startsWith("anpr_hotlist_match_dropped_total") || s.startsWith("anpr_hotlist_hits_total")
                || s.startsWith("anpr_store_commit_seconds_sum") || s.startsWith("anpr_store_commit_seconds_count")
                || s.startsWith("anpr_ingest_ack_seconds_sum") || s.startsWith("anpr_ingest_ack_seconds_count"))
                .forEach(s -> line("    %s%n", s));
    }

    /** utime + stime of these processes in ticks of 10 ms (/proc/PID/stat, fields 14 and 15); Linux only. */
    private static long cpuTicks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // gone meanwhile
            }
        }
        return sum;
    }

    /** The postmaster of the bench's PostgreSQL and its children (backends, background processes). */
    private List<Long> postgresPids() {
        List<Long> pids = new ArrayList<>();
        long master = postmaster.getAsLong();
        if (master <= 0) {
            return pids;
        }
        pids.add(master);
        try (var dirs = Files.list(Path.of("/proc"))) {
            dirs.map(d -> d.getFileName().toString()).filter(d -> d.chars().allMatch(Character::isDigit)).forEach(d -> {
                try {
                    String stat = Files.readString(Path.of("/proc/" + d + "/stat"));
                    if (Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]) == master) {
                        pids.add(Long.parseLong(d));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            // not Linux
        }
        return pids;
    }

    private static double mean(List<Sampler.Sample> samples, java.util.function.ToDoubleFunction<Sampler.Sample> f) {
        return samples.stream().mapToDouble(f).average().orElse(Double.NaN);
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
        long drained = drainDelivery();
        AtomicLong reads = new AtomicLong();
        AtomicLong seq = new AtomicLong(System.nanoTime() % 1_000_000_000L);
        long warm = System.currentTimeMillis() + SATURATE_WARMUP_SECONDS * 1000L;
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
        line("%nIngest as fast as acknowledged (%s): HTTP nas-json batches of 100, 8 senders, %d s after %d s warm-up"
                        + " (delivery backlog drained first: %d s): %.0f reads/s%n",
                label, SATURATE_SECONDS, SATURATE_WARMUP_SECONDS, drained, rate);
        return rate;
    }

    private HttpResponse<String> send(String user, String method, String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(hub.resolve(path)).header("Authorization", basic(user)).header("X-Anpr-Client", "bench")
                .header("Content-Type", type).timeout(Duration.ofMinutes(5))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits (at most 5 min) until the NAS target's backlog is empty: the reads of the phase before would otherwise be
     * delivered during this one and take the CPU it measures (runs of 11,805 / 7,570 / 3,660 reads/s in one run
     * before this wait). Returns the seconds waited.
     */
    private long drainDelivery() throws Exception {
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() - start < 300_000) {
            String backlog = get("/actuator/prometheus").lines()
                    .filter(l -> l.startsWith("anpr_delivery_backlog{") && l.contains("target=\"nas\""))
                    .findFirst().orElse("");
            if (backlog.endsWith(" 0.0")) {
                break;
            }
            Thread.sleep(1000);
        }
        return (System.currentTimeMillis() - start) / 1000;
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
