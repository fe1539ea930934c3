package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.anprhub.support.ChildJvm;
import uk.anprhub.support.FreePorts;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub as operators start it — {@code bin/anpr-hub run}, the launcher's default heap, the embedded store — from
 * its first second to a flood of 1 MB camera bodies:
 * <ul>
 * <li>a camera polling {@code /ingest/nas-json} from the moment the port opens sees 503 + Retry-After, then 200, never
 * 404 (issue 11.4);</li>
 * <li>once up it logs one {@code ready at http://…} line (15.6); a second hub on the same data directory stops with one
 * line and a non-zero exit, as do a broken camera registry and an unreachable database (15.6), and a hub with no camera
 * registry outside demo mode (14.9);</li>
 * <li>under a flood of concurrent 1 MB bodies: no OutOfMemoryError, peak RSS (VmHWM) under 1 GiB, every answer 200
 * or 503 with Retry-After, every 200's read stored and no read of a 503 stored (11.3).</li>
 * </ul>
 */
class HubProcessIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long GIB = 1L << 30;
    static final int CLIENTS = 150;
    static final int ROUNDS = 4;

    /** The demo registry (a test fixture) for launches that are not in demo mode. */
    static final String DEMO_CAMERAS = "--anpr.cameras.location=" + Path.of("src/test/resources/cameras").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void startsWithTryAgainNeverNotFoundSaysWhereItIsAndKeepsItsMemoryUnderAFlood() throws Exception {
        Path data = dir.resolve("data");
        int port = FreePorts.next();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Process hub = launch(List.of("run", "--demo", "--server.port=" + port), Map.of("ANPR_DATA_DIR", data.toString()), dir.resolve("hub.log"));
        try {
            // 11.4: poll from the first moment the port opens
            List<Integer> statuses = new ArrayList<>();
            boolean retryAfterOnEvery503 = true;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (System.nanoTime() < until) {
                assertThat(hub.isAlive()).as("hub alive; log:\n%s", tail(dir.resolve("hub.log"))).isTrue();
                try {
                    HttpResponse<String> r = http.send(post(port, TestReads.read()), HttpResponse.BodyHandlers.ofString());
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 503) {
                        retryAfterOnEvery503 &= r.headers().firstValue("Retry-After").isPresent();
                    }
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(50); // sampling: every answer while starting is recorded
            }
            System.out.println("HubProcessIT: answers while starting: " + summary(statuses));
            assertThat(statuses).as("answers from the first open port to the first 200").isNotEmpty().endsWith(200);
            assertThat(statuses).as("never 404 (or anything but 503 then 200)").allMatch(s -> s == 503 || s == 200);
            assertThat(retryAfterOnEvery503).as("Retry-After on every 503").isTrue();

            // 15.6: the ready line, once
            String log = Files.readString(dir.resolve("hub.log"));
            assertThat(log.lines().filter(l -> l.contains("ready at http://")).toList()).hasSize(1)
                    .allMatch(l -> l.contains(":" + port + " — NAS target http://") && l.contains("feeds "));

            // 15.6: a second hub on the same data directory: one line, exit non-zero
            Process second = launch(List.of("run", "--server.port=" + FreePorts.next(), DEMO_CAMERAS), Map.of("ANPR_DATA_DIR", data.toString()),
                    dir.resolve("second.log"), true);
            assertThat(second.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertOneLineFailure(second.exitValue(), dir.resolve("second.log"), "another hub runs on this data directory");

            // 11.3: the flood
            Flood flood = flood(port);
            // a hub that died under the flood (e.g. ExitOnOutOfMemoryError) says so with its log, not as a missing /proc file
            assertThat(hub.isAlive()).as("hub alive after the flood; log:\n%s", tail(dir.resolve("hub.log"))).isTrue();
            String status = Files.readString(Path.of("/proc/" + hub.pid() + "/status"));
            long hwmKb = Long.parseLong(status.lines().filter(l -> l.startsWith("VmHWM:")).findFirst().orElseThrow()
                    .replaceAll("\\D", ""));
            System.out.printf("HubProcessIT: flood %d clients x %d rounds of 1 MB: %d x 200, %d x 503, other %s, errors %s; peak RSS %d MB%n",
                    CLIENTS, ROUNDS, flood.ok.size(), flood.refused.size(), flood.other, flood.errors, hwmKb >> 10);
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("HubProcessIT: " + metrics.body().lines().filter(l -> l.startsWith("anpr_http_ingest")).toList());
            log = Files.readString(dir.resolve("hub.log"));
            assertThat(log).doesNotContain("OutOfMemoryError");
            assertThat(hub.isAlive()).isTrue();
            assertThat(flood.other).as("answers other than 200 / 503+Retry-After").isEmpty();
            assertThat(flood.errors).as("dropped connections").isEmpty();
            assertThat(flood.ok).as("some bodies were taken").isNotEmpty();
            assertThat(hwmKb * 1024).as("peak RSS").isLessThan(GIB);
            assertStored(data, flood);
        } finally {
            hub.destroy();
            if (!hub.waitFor(60, TimeUnit.SECONDS)) {
                hub.destroyForcibly();
            }
        }
    }

    @Test
    void aBrokenOrMissingCameraRegistryOrAnUnreachableDatabaseIsOneLineAndANonZeroExit() throws Exception {
        Path cams = Files.createDirectories(dir.resolve("cams"));
        Files.writeString(cams.resolve("broken.yaml"), "cameras:\n  - cameraId: [oops\n");
        Process badCameras = launch(List.of("run", "--server.port=" + FreePorts.next(), "--anpr.cameras.location=" + cams),
                Map.of("ANPR_DATA_DIR", dir.resolve("d1").toString()), dir.resolve("cameras.log"), true);
        // ANPR_DEMO=false: what a production install says; without it the launcher picks demo mode on a checkout
        Process noRegistry = launch(List.of("run", "--server.port=" + FreePorts.next()),
                Map.of("ANPR_DATA_DIR", dir.resolve("d3").toString(), "ANPR_DEMO", "false"), dir.resolve("no-registry.log"), true);
        // 10 s, not 3: on a loaded machine the first connect attempt alone can outlast 3 s, leaving no "attempt 1" warning
        Process badDb = launch(List.of("run", "--server.port=" + FreePorts.next(), "--anpr.db.start-timeout=10s", DEMO_CAMERAS),
                Map.of("ANPR_DATA_DIR", dir.resolve("d2").toString(), "ANPR_DB_URL", "jdbc:postgresql://localhost:" + FreePorts.next() + "/anpr",
                        "ANPR_DB_PASSWORD", "not-in-the-log"), dir.resolve("db.log"), true);
        assertThat(badDb.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(badCameras.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertOneLineFailure(badDb.exitValue(), dir.resolve("db.log"), "the database did not answer within 10 s");
        assertThat(Files.readString(dir.resolve("db.log"))).doesNotContain("not-in-the-log")
                .contains("not reachable yet (attempt 1)");
        assertOneLineFailure(badCameras.exitValue(), dir.resolve("cameras.log"), "the camera registry does not load");
        assertThat(Files.readString(dir.resolve("cameras.log"))).contains("broken.yaml");
        // issue 14.9: no registry and no demo mode: refused, never the demo cameras
        assertThat(noRegistry.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertOneLineFailure(noRegistry.exitValue(), dir.resolve("no-registry.log"),
                "no camera registry is configured (anpr.cameras.location)");
        assertThat(Files.readString(dir.resolve("no-registry.log"))).doesNotContain("DEMO registry").contains("run --demo");
    }

    /** Exit non-zero; the reason once; no stack trace; few lines beyond the ordinary INFO start-up lines. */
    private static void assertOneLineFailure(int exit, Path logFile, String reason) throws IOException {
        String log = Files.readString(logFile);
        assertThat(exit).as(log).isNotZero();
        List<String> reasonLines = log.lines().filter(l -> l.startsWith("anpr-hub: cannot start: ") && l.contains(reason)).toList();
        assertThat(reasonLines).as(log).hasSize(1);
        assertThat(log).as("no stack trace").doesNotContain("\tat ").doesNotContain("Caused by");
        List<String> notInfo = log.lines().filter(l -> !l.contains(" INFO ") && !l.startsWith("Standard Commons Logging")
                && !l.startsWith("Configuration: ") && !l.contains("DEMO registry") && !l.contains("not reachable yet")).toList();
        assertThat(notInfo).as("lines other than INFO start-up lines").hasSizeLessThanOrEqualTo(3);
    }

    record Flood(Set<String> ok, Set<String> refused, List<String> other, List<String> errors) {
    }

    /** CLIENTS senders, ROUNDS bodies of ~1 MB each (one read, a 750 kB picture), each a unique plate. */
    private Flood flood(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        Flood f = new Flood(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        byte[] picture = new byte[750_000];
        ThreadLocalRandom.current().nextBytes(picture);
        picture[0] = (byte) 0xFF;
        picture[1] = (byte) 0xD8;
        picture[2] = (byte) 0xFF;
        String image = Base64.getEncoder().encodeToString(picture);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                all.add(clients.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        String plate = TestReads.plate();
                        String body = """
                                {"vrm":"%s","captureTimeUtc":"%s","cameraId":"MPS-DEMO-0001","confidencePct":90,"overviewImage":{"data":"%s"}}"""
                                .formatted(plate, Instant.now().minusSeconds(60), image);
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/nas-json"))
                                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                f.ok.add(plate);
                            } else if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
                                f.refused.add(plate);
                            } else {
                                f.other.add(r.statusCode() + " " + r.body());
                            }
                        } catch (IOException e) {
                            f.errors.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> x : all) {
                x.get(5, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        return f;
    }

    /** Every 200's plate is in the store, no 503's plate is. */
    private static void assertStored(Path data, Flood flood) throws Exception {
        String secret = Files.readString(data.resolve("postgres-secret")).strip();
        String pgPort = Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(3).strip();
        Set<String> stored = ConcurrentHashMap.newKeySet();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres", "anpr", secret);
             PreparedStatement s = c.prepareStatement("select vrm from nas_read where vrm = any(?)")) {
            List<String> all = new ArrayList<>(flood.ok);
            all.addAll(flood.refused);
            s.setArray(1, c.createArrayOf("text", all.stream().map(p -> p.replace(" ", "")).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        assertThat(stored).as("reads of 200s stored").containsAll(flood.ok.stream().map(p -> p.replace(" ", "")).toList());
        assertThat(stored).as("no read of a 503 stored").doesNotContainAnyElementsOf(flood.refused.stream().map(p -> p.replace(" ", "")).toList());
    }

    /** {@code bin/anpr-hub} as operators run it (its default heap flags), with this JVM's java first on the PATH. */
    private static Process launch(List<String> args, Map<String, String> env, Path log) throws IOException {
        return launch(args, env, log, false);
    }

    /** As above; {@code startOnly}: a hub that is to fail at start, with {@link ChildJvm#FLAGS} (a start of half the CPU). */
    private static Process launch(List<String> args, Map<String, String> env, Path log, boolean startOnly) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("bin/anpr-hub").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("ANPR_DB_URL");
        pb.environment().remove("ANPR_JAVA_OPTS");
        if (startOnly) {
            pb.environment().put("ANPR_JAVA_OPTS", ChildJvm.flags()); // JIT only; heap flags stay the launcher's
        }
        pb.environment().remove("ANPR_HEAP");
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static HttpRequest post(int port, String body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/nas-json"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private static String summary(List<Integer> statuses) {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        statuses.forEach(s -> counts.merge(s, 1L, Long::sum));
        return counts.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
