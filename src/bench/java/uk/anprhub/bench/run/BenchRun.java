package uk.anprhub.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import uk.anprhub.bench.reference.CopyReference;
import uk.anprhub.store.StoreConfiguration;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The benchmark of docs/performance.md, run by {@code bench/run.sh short|full}: on this one machine it starts
 * PostgreSQL (embedded, or the one in ANPR_DB_URL), the NAS simulator and the hub as separate processes, drives the
 * hub with {@code camera-sim} processes through fixed scenarios, measures the two reference lines (PostgreSQL COPY,
 * a plain per-message Camel route) against the same database, and writes report.md, timeline.png, samples.csv and
 * (full mode) the hub's JFR hot spots to the output folder.
 */
public final class BenchRun {

    /** How long each part runs. Short: a quick check in under two minutes; full: the figures of the docs. */
    record Mode(String name, int seconds, int warmup, int drainReads, int outageSeconds, int downFrom, int downFor,
                int copyRows, boolean profile) {

        static Mode of(String name) {
            return switch (name) {
                case "short" -> new Mode(name, 5, 2, 20_000, 16, 4, 6, 50_000, false);
                case "full" -> new Mode(name, 60, 10, 450_000, 300, 60, 120, 1_000_000, true);
                default -> throw new IllegalArgumentException("mode is short or full, not " + name);
            };
        }
    }

    /** One line of the report. Latencies and CPU are NaN where they do not apply. */
    record Result(String id, String what, double readsPerSecond, double p50Ms, double p99Ms, Usage usage, String note) {
    }

    /** Mean resource use over a scenario's measured samples. CPU in percent of one core. */
    record Usage(double hubCpu, double pgCpu, double simCpu, double nasSimCpu, double machineBusy, long hubRssMb,
                 double diskMbPerS, double storedPerS, double deliveredPerS) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    /** Sampler label between scenarios. */
    static final String IDLE = "idle";
    private static final String OPS_USER = "bench";

    private final Mode mode;
    private final Path out;
    private final Path root = Path.of("").toAbsolutePath();
    private final Path jar = root.resolve("target/anpr-hub.jar");
    private final String opsPassword = "bench-" + System.nanoTime();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private final List<Result> results = new ArrayList<>();
    private final List<Sim> sims = new ArrayList<>();
    private Sampler sampler;
    private URI hub;
    private URI nasSim;

    private BenchRun(Mode mode, Path out) {
        this.mode = mode;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Mode mode = Mode.of(args.length > 0 ? args[0] : "short");
        Path out = Path.of(args.length > 1 ? args[1] : "target/bench").toAbsolutePath();
        BenchRun run = new BenchRun(mode, out);
        Runtime.getRuntime().addShutdownHook(new Thread(run::stopAll));
        run.run();
    }

    private void run() throws Exception {
        Files.createDirectories(out.resolve("logs"));
        long t0 = System.nanoTime();
        Database db = Database.start(out.resolve("pg"));
        int nasPort = freePort(), hubPort = freePort(), tcpPort = freePort(), ftpPort = freePort();
        nasSim = URI.create("http://localhost:" + nasPort + "/nas/v1");
        Process nas = start("nas-sim", List.of("java", "-jar", jar.toString(), "nas-sim", "--port", "" + nasPort), Map.of());
        Path config = hubConfig(tcpPort, ftpPort);
        hub = URI.create("http://localhost:" + hubPort);
        List<String> hubCmd = new ArrayList<>(List.of("java", "-Danpr.home=" + root));
        if (mode.profile()) {
            hubCmd.addAll(List.of("-XX:StartFlightRecording=filename=" + out.resolve("hub.jfr") + ",settings=profile",
                    "-XX:FlightRecorderOptions=stackdepth=128"));
        }
        hubCmd.addAll(List.of("-jar", jar.toString(), "run", "--demo", "--logging.level.root=WARN"));
        Process hubProcess = start("hub", hubCmd, Map.of("ANPR_DB_URL", db.url(), "ANPR_DB_USER", db.user(),
                "ANPR_DB_PASSWORD", db.password(), "ANPR_DATA_DIR", out.resolve("data").toString(), "SERVER_PORT", "" + hubPort,
                "ANPR_NAS_URL", nasSim.toString(), "ANPR_CONFIG", config.toString()));
        waitFor("the hub's health", 180, () -> get(hub.resolve("/actuator/health")).contains("\"UP\""));
        sampler = new Sampler(hub, hubProcess.pid(), nas.pid(), db::postmasterPid);
        System.out.printf("bench %s: hub, nas-sim and PostgreSQL up after %.0f s (%d cores, load %s)%n", mode.name(),
                (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().availableProcessors(), loadAverage());

        if (mode.profile()) { // warm the JIT of hub and simulator once before the first figures; not reported
            sim("warm-up", List.of("--batch", "100", "--clients", "4"), mode.warmup());
        }

        Instant ingestFrom = Instant.now();
        ingest("http-batch", "HTTP, canonical batches of 100 (nas-json), 4 clients",
                List.of("--batch", "100", "--clients", "4"));
        Result single = ingest("http-single", "HTTP, canonical single reads (nas-json), 20 clients",
                List.of("--batch", "1", "--clients", "20"));
        // --- camera listener (issue 17, direction 2): the same load on the hub's Netty port, side by side ---
        Result onListener = ingest("http-single-listener", "HTTP, canonical single reads (nas-json), 20 clients, camera listener (Netty)",
                List.of("--url", "http://localhost:" + listenerPort, "--batch", "1", "--clients", "20"));
        System.out.printf("  hub CPU per acknowledged read: ops port (Tomcat) %.0f us, camera listener %.0f us (%s)%n",
                cpuMicrosPerRead(single), cpuMicrosPerRead(onListener), LISTENER_VIA_CAMEL ? "via Camel" : "direct call");
        // --- end camera listener ---
        ingest("http-vendor", "HTTP, Hikvision ISAPI multipart events (2 pictures), 20 clients, 5 % camera retries, 1 % bad",
                List.of("--vendor", "hikvision-isapi", "--cameras", "50", "--clients", "20", "--repeat-share", "0.05",
                        "--bad-share", "0.01"));
        ingest("tcp", "TCP, canonical single reads, line framing, ack after commit, 32 connections",
                List.of("--transport", "tcp", "--target", "localhost:" + tcpPort, "--clients", "32"));
        ingest("ftp", "FTP, Hikvision picture uploads (plate in the file name), 8 clients; acknowledged = 226, committed after",
                List.of("--transport", "ftp", "--vendor", "hikvision-ftp", "--target", "localhost:" + ftpPort,
                        "--ftp-user", "sim", "--ftp-password", opsPassword, "--clients", "8"));
        Instant ingestTo = Instant.now();
        drain();
        outage();

        stop(hubProcess);
        copyReference(db);
        Result plain = plainCamel(db);
        sampler.close();

        BenchReport report = new BenchReport(mode, results, sampler.samples(), sims, single, plain);
        report.write(out, mode.profile() ? out.resolve("hub.jfr") : null, ingestFrom, ingestTo);
        System.out.printf("bench %s done in %.0f s: %s%n", mode.name(), (System.nanoTime() - t0) / 1e9, out.resolve("report.md"));
        stopAll();
        db.close();
    }

    /** A sustained-ingest scenario: camera-sim as fast as acknowledged, hub delivering to nas-sim meanwhile. */
    private Result ingest(String id, String what, List<String> simArgs) throws Exception {
        waitForBacklog(0, 600);
        Sim sim = sim(id, simArgs, mode.seconds());
        Usage usage = usage(id);
        Result r = new Result(id, what, sim.report().path("readsPerSecond").asDouble(),
                sim.report().path("latencyMs").path("p50").asDouble(), sim.report().path("latencyMs").path("p99").asDouble(),
                usage, outcome(sim.report()));
        results.add(r);
        System.out.printf("  %-12s %,8.0f reads/s acknowledged, %,8.0f stored/s  p50 %5.1f ms  p99 %6.1f ms  hub CPU %3.0f %%  PostgreSQL %3.0f %%  %s%n",
                id, r.readsPerSecond(), usage.storedPerS(), r.p50Ms(), r.p99Ms(), usage.hubCpu(), usage.pgCpu(), r.note());
        return r;
    }

    /** Delivery drain: delivery paused while N reads are stored, then resumed; reads/s from first to last arrival. */
    private void drain() throws Exception {
        waitForBacklog(0, 600);
        ops("POST", "/api/v1/delivery/targets/nas/pause?why=benchmark");
        Sim fill = sim("drain-fill", List.of("--batch", "500", "--clients", "4", "--count", "" + mode.drainReads()),
                3600, 0);
        long stored = fill.report().path("storedReads").asLong();
        waitForBacklog(stored, 120);
        post(nasSim.resolve("/nas/v1/_reset"), "");
        sampler.scenario("drain");
        ops("POST", "/api/v1/delivery/targets/nas/resume");
        waitFor("the first delivery", 120, () -> nasStat("uniqueReadIds") > 0);
        long first = System.nanoTime();
        waitFor("the drain", 3600, () -> nasStat("uniqueReadIds") >= stored);
        double seconds = (System.nanoTime() - first) / 1e9;
        Result r = new Result("drain", "Delivery drain of a backlog of " + String.format("%,d", stored) + " reads to nas-sim",
                stored / seconds, Double.NaN, Double.NaN, usage("drain"),
                String.format("%.1f s; a full London day (21 M reads) would drain in %.0f min", seconds,
                        BenchReport.LONDON_PER_DAY / (stored / seconds) / 60));
        results.add(r);
        System.out.printf("  %-12s %,8.0f reads/s  %s%n", "drain", r.readsPerSecond(), r.note());
    }

    /**
     * Outage: live 250 reads/s for the whole scenario, NAS answering 503 for a period in the middle. Reports how
     * long after NAS came back the backlog was gone, and proves nothing was lost: every read the cameras had
     * acknowledged as stored reached the simulator, once.
     */
    private void outage() throws Exception {
        waitForBacklog(0, 600);
        post(nasSim.resolve("/nas/v1/_reset"), "");
        sampler.scenario("outage");
        Sim sim = startSim("outage", List.of("--batch", "1", "--clients", "8", "--rate", "250",
                "--duration", mode.outageSeconds() + "s"), 0);
        Thread.sleep(mode.downFrom() * 1000L);
        post(nasSim.resolve("/nas/v1/_faults"), "{\"mode\":\"down\"}");
        Thread.sleep(mode.downFor() * 1000L);
        long backlogAtRecovery = (long) backlog();
        post(nasSim.resolve("/nas/v1/_faults"), "{\"mode\":\"up\"}");
        long up = System.nanoTime();
        waitFor("the backlog after the outage", 3600, () -> backlog() <= 250 * 0.5);
        double catchUp = (System.nanoTime() - up) / 1e9;
        sim.await();
        long stored = sim.report().path("storedReads").asLong();
        waitFor("every stored read at nas-sim", 600, () -> nasStat("uniqueReadIds") >= stored);
        Thread.sleep(2000); // anything beyond the stored reads would show up now
        long unique = nasStat("uniqueReadIds"), duplicates = nasStat("duplicates");
        boolean lossless = unique == stored;
        Result r = new Result("outage", String.format("250 reads/s live for %d s, NAS down (503) for %d s", mode.outageSeconds(),
                mode.downFor()), sim.report().path("readsPerSecond").asDouble(),
                sim.report().path("latencyMs").path("p50").asDouble(), sim.report().path("latencyMs").path("p99").asDouble(),
                usage("outage"), String.format("backlog %,d at recovery, caught up %.1f s after NAS came back; stored %,d = unique at NAS %,d%s; "
                        + "%d re-sent duplicates at NAS", backlogAtRecovery, catchUp, stored, unique, lossless ? " (no loss)" : " LOSS", duplicates));
        results.add(r);
        System.out.printf("  %-12s %s%n", "outage", r.note());
        if (!lossless) {
            throw new IllegalStateException("outage scenario lost reads: " + r.note());
        }
    }

    /** Reference (a): PostgreSQL COPY of the same rows into the reads table, hub stopped. */
    private void copyReference(Database db) throws Exception {
        sampler.scenario("copy");
        double perSecond = CopyReference.readsPerSecond(db.url(), db.user(), db.password(), mode.copyRows());
        results.add(new Result("copy", String.format("Reference: PostgreSQL COPY of %,d rows into the reads table, one session",
                mode.copyRows()), perSecond, Double.NaN, Double.NaN, usage("copy"), "physical limit of the store"));
        System.out.printf("  %-12s %,8.0f reads/s%n", "copy", perSecond);
    }

    /** Reference (b): a hand-written per-message Camel route (camel-sql insert + HTTP post per read), same sim. */
    private Result plainCamel(Database db) throws Exception {
        int port = freePort();
        Process app = start("plain-camel", List.of("java", "-cp", System.getProperty("java.class.path"), "plaincamel.PlainCamelApp",
                "--server.port=" + port, "--ref.db.url=" + db.url(), "--ref.db.user=" + db.user(), "--ref.db.password=" + db.password(),
                "--ref.nas.url=" + nasSim), Map.of());
        waitFor("the plain Camel route", 120, () -> answers(URI.create("http://localhost:" + port + "/ingest/nas-json")));
        Sim sim = sim("plain-camel", List.of("--url", "http://localhost:" + port, "--clients", "20"),
                mode.seconds());
        Result r = new Result("plain-camel", "Reference: plain Camel route, platform-http → camel-sql INSERT → HTTP POST to nas-sim per read, 20 clients",
                sim.report().path("readsPerSecond").asDouble(), sim.report().path("latencyMs").path("p50").asDouble(),
                sim.report().path("latencyMs").path("p99").asDouble(), usage("plain-camel"), outcome(sim.report()));
        results.add(r);
        System.out.printf("  %-12s %,8.0f reads/s  p50 %5.1f ms  p99 %6.1f ms%n", "plain-camel", r.readsPerSecond(), r.p50Ms(), r.p99Ms());
        stop(app);
        return r;
    }

    // --- camera-sim processes ---

    /** A camera-sim run and, once it ended, its --report-json. */
    final class Sim {
        final String id;
        final Process process;
        final Path reportFile;
        final double startedAt;
        final double warmup;
        private JsonNode report;

        Sim(String id, Process process, Path reportFile, double startedAt, double warmup) {
            this.id = id;
            this.process = process;
            this.reportFile = reportFile;
            this.startedAt = startedAt;
            this.warmup = warmup;
        }

        JsonNode report() {
            return report;
        }

        Sim await() throws Exception {
            int code = process.waitFor();
            sampler.scenario(IDLE); // what follows (waiting for the backlog to empty) is not this scenario's
            if (code != 0 || !Files.exists(reportFile)) {
                throw new IllegalStateException("camera-sim " + id + " failed (exit " + code + "), see " + out.resolve("logs/" + id + ".log"));
            }
            report = JSON.readTree(reportFile.toFile());
            return this;
        }
    }

    /** Runs camera-sim to its end: {@code seconds} measured after the mode's warm-up. */
    private Sim sim(String id, List<String> args, int seconds) throws Exception {
        return sim(id, args, seconds, mode.warmup());
    }

    private Sim sim(String id, List<String> args, int seconds, int warmup) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--duration", seconds + "s", "--warmup", warmup + "s"));
        return startSim(id, all, warmup).await();
    }

    /** Starts camera-sim; its samples are labelled "(warm-up)" for its first {@code warm} seconds. */
    private Sim startSim(String id, List<String> args, int warm) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-Danpr.home=" + root, "-jar", jar.toString(), "camera-sim"));
        if (args.stream().noneMatch("--url"::equals)) {
            cmd.addAll(List.of("--url", hub.toString()));
        }
        cmd.addAll(args);
        Path report = out.resolve("sim-" + id + ".json");
        Files.deleteIfExists(report);
        cmd.addAll(List.of("--report-json", report.toString()));
        sampler.scenario(warm > 0 ? id + " (warm-up)" : id);
        Process p = start(id, cmd, Map.of());
        sampler.simulator(p.pid());
        Sim sim = new Sim(id, p, report, sampler.elapsed(), warm);
        sims.add(sim);
        if (warm > 0) {
            Thread label = new Thread(() -> {
                try {
                    Thread.sleep(warm * 1000L);
                    sampler.scenario(id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            label.setDaemon(true);
            label.start();
        }
        return sim;
    }

    private static String outcome(JsonNode r) {
        return String.format("%,d reads acknowledged (%,d stored, %,d duplicates), %d refused, %d pushed back (503), %d failed",
                r.path("acknowledgedReads").asLong(), r.path("storedReads").asLong(), r.path("duplicateReads").asLong(),
                r.path("refusedRequests").asLong(), r.path("pushedBackRequests").asLong(), r.path("failedRequests").asLong());
    }

    private Usage usage(String scenario) {
        List<Sampler.Sample> all = sampler.samples();
        List<Sampler.Sample> s = all.stream().filter(x -> x.scenario().equals(scenario)).toList();
        double stored = Double.NaN, delivered = Double.NaN;
        if (!s.isEmpty()) { // counter deltas from the sample before the scenario's first to its last
            Sampler.Sample before = all.get(Math.max(0, all.indexOf(s.get(0)) - 1)), last = s.get(s.size() - 1);
            double dt = last.t() - before.t();
            stored = (last.storedTotal() - before.storedTotal()) / dt;
            delivered = (last.deliveredTotal() - before.deliveredTotal()) / dt;
        }
        return new Usage(s.stream().mapToDouble(Sampler.Sample::hubCpu).average().orElse(Double.NaN),
                s.stream().mapToDouble(Sampler.Sample::pgCpu).average().orElse(Double.NaN),
                s.stream().mapToDouble(Sampler.Sample::simCpu).average().orElse(Double.NaN),
                s.stream().mapToDouble(Sampler.Sample::nasSimCpu).average().orElse(Double.NaN),
                s.stream().mapToDouble(Sampler.Sample::machineBusy).average().orElse(Double.NaN),
                s.stream().mapToLong(Sampler.Sample::hubRssMb).max().orElse(0),
                s.stream().mapToDouble(Sampler.Sample::diskWriteMbPerS).average().orElse(Double.NaN), stored, delivered);
    }

    // --- the hub's configuration and the processes ---

    // --- camera listener (issue 17, direction 2) ---
    /** BENCH_LISTENER_VIA_CAMEL=true: the listener enters Camel instead of the hub's default direct call (to compare). */
    private static final boolean LISTENER_VIA_CAMEL = "true".equals(System.getenv("BENCH_LISTENER_VIA_CAMEL"));
    private final int listenerPort = freeListenerPort();

    private static int freeListenerPort() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The hub's CPU time per acknowledged read, in microseconds (CPU in % of one core over reads per second). */
    private static double cpuMicrosPerRead(Result r) {
        return r.usage().hubCpu() / 100 * 1e6 / r.readsPerSecond();
    }
    // --- end camera listener ---

    private Path hubConfig(int tcpPort, int ftpPort) throws Exception {
        Path cameras = out.resolve("cameras");
        Files.createDirectories(cameras);
        try (var files = Files.list(root.resolve("src/test/resources/cameras"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, cameras.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // the simulated Hikvision cameras of the http-vendor scenario, known to the hub before it starts
        Process registry = start("registry-hikvision-isapi", List.of("java", "-Danpr.home=" + root, "-jar", jar.toString(),
                "camera-sim", "--vendor", "hikvision-isapi", "--cameras", "50", "--count", "0",
                "--registry-out", cameras.resolve("sim-hikvision-isapi.yaml").toString()), Map.of());
        if (registry.waitFor() != 0) {
            throw new IllegalStateException("camera-sim --registry-out failed, see " + out.resolve("logs/registry-hikvision-isapi.log"));
        }
        String hash = new BCryptPasswordEncoder().encode(opsPassword);
        String yaml = """
                anpr:
                  cameras:
                    location: %s
                  users:
                    - name: %s
                      password-hash: "%s"
                      roles: [ops]
                  http:
                    camera-listener:
                      port: %d
                      via-camel: %s
                      also-on-ops-port: true
                  tcp:
                    feeds:
                      nas-json:
                        port: %d
                        framing: line
                        ack: "{stored} {duplicates}\\n"
                        # the 32 simulated cameras all connect from 127.0.0.1: above the per-address default of 16
                        max-connections-per-source: 32
                  delivery:
                    targets:
                      nas:
                        # uncapped, so the drain scenario measures what the hub can send (issue 17: >= 25,000/s);
                        # the shipped default caps catch-up at 10,000 reads/s per instance
                        max-rate: 0
                  ftp:
                    enabled: true
                    port: %d
                    passive-ports: "0"
                    accounts:
                      - user: sim
                        password-hash: "%s"
                        folder: Driveway
                        feed: hikvision-ftp
                logging:
                  level:
                    org.apache.ftpserver.impl.PassivePorts: ERROR
                """.formatted(cameras, OPS_USER, hash, listenerPort, LISTENER_VIA_CAMEL, tcpPort, ftpPort, hash);
        Path file = out.resolve("hub.yaml");
        Files.writeString(file, yaml);
        return file;
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
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private void stopAll() {
        for (Process p : processes) {
            if (p.isAlive()) {
                try {
                    stop(p);
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            }
        }
    }

    // --- HTTP helpers ---

    private double backlog() {
        String page = get(hub.resolve("/actuator/prometheus"));
        return page.isEmpty() ? Double.NaN : Sampler.metric(page, "anpr_delivery_backlog{", "target=\"nas\"");
    }

    private void waitForBacklog(long atLeastOrZero, int seconds) throws Exception {
        if (atLeastOrZero == 0) {
            waitFor("the delivery backlog to empty", seconds, () -> backlog() == 0);
        } else {
            waitFor("the backlog to reach " + atLeastOrZero, seconds, () -> backlog() >= atLeastOrZero);
        }
    }

    private long nasStat(String field) {
        try {
            return JSON.readTree(get(nasSim.resolve("/nas/v1/_stats"))).path(field).asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    private String get(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    /** Any HTTP answer at all: the server is listening. */
    private boolean answers(URI uri) {
        try {
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void post(URI uri, String json) throws Exception {
        http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private void ops(String method, String path) throws Exception {
        String auth = Base64.getEncoder().encodeToString((OPS_USER + ":" + opsPassword).getBytes());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(hub.resolve(path)).header("Authorization", "Basic " + auth).header("X-Anpr-Client", "bench")
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
    }

    private static void waitFor(String what, int seconds, BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** PostgreSQL of the run: ANPR_DB_URL if set (external), else an embedded one in the output folder. */
    record Database(String url, String user, String password, EmbeddedPostgres embedded, Path dataDir) implements AutoCloseable {

        static Database start(Path dir) throws IOException {
            String url = System.getenv("ANPR_DB_URL");
            if (url != null && !url.isBlank()) {
                return new Database(url, System.getenv().getOrDefault("ANPR_DB_USER", ""),
                        System.getenv().getOrDefault("ANPR_DB_PASSWORD", ""), null, null);
            }
            EmbeddedPostgres pg = StoreConfiguration.embeddedPostgres().setDataDirectory(dir).setCleanDataDirectory(true).start();
            return new Database(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", pg, dir);
        }

        /** The postmaster's pid (its backends are its children), to measure the database's CPU; 0 if external. */
        long postmasterPid() {
            try {
                return dataDir == null ? 0 : Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        @Override
        public void close() throws IOException {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

}
