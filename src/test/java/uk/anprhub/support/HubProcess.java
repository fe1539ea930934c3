package uk.anprhub.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hub as a real process: the built jar ({@code target/anpr-hub.jar}, launched as {@link HubJar} says) started
 * with {@code run --demo} on a given port, data directory and environment (e.g. {@code ANPR_DB_URL}), so a test can
 * kill it with SIGKILL, restart it on the same data, and read its peak resident memory. Output goes to
 * {@code <dataDir>/hub.log}, appended across restarts. The JVM's own defaults: these hubs take load (see {@link ChildJvm} for why that matters).
 */
public final class HubProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private HubProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the jar (not waiting for it to come up).
     *
     * @param env  extra environment ({@code ANPR_DATA_DIR} is set to {@code dataDir})
     * @param args extra Spring arguments ({@code --key=value})
     */
    public static HubProcess start(Path dataDir, int port, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(HubJar.command()); // the built jar, with its class archive (see HubJar)
        cmd.addAll(List.of("run", "--demo", "--server.port=" + port, "--logging.level.root=WARN"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().put("ANPR_DATA_DIR", dataDir.toString());
        Path log = dataDir.resolve("hub.log");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new HubProcess(pb.start(), port, log);
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Waits until {@code /actuator/health} answers 200 UP; fails if the process dies or {@code limit} passes. */
    public void waitUntilUp(Duration limit) throws InterruptedException {
        String[] health = {"no answer"};
        try {
            org.awaitility.Awaitility.await().atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) { // an AssertionError ends the wait at once
                            throw new AssertionError("hub process exited (" + process.exitValue() + "); its log ends:\n"
                                    + logTail());
                        }
                        try {
                            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/actuator/health")))
                                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                            health[0] = r.statusCode() + " " + r.body();
                            return r.statusCode() == 200 && "UP".equals(JSON.readTree(r.body()).path("status").asText());
                        } catch (IOException e) {
                            return false; // not listening yet
                        }
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("hub did not come up in " + limit.toSeconds() + " s (last health: " + health[0]
                    + "); its log ends:\n" + logTail());
        }
    }

    /** The last lines of the hub's log (a failure message outlives the test's temporary directory). */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Peak resident set size so far ({@code VmHWM} of {@code /proc/<pid>/status}), in MiB; -1 when it cannot be read
     * (not Linux, or the process is gone).
     */
    public long rssPeakMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or not Linux
        }
        return -1;
    }

    /** SIGTERM and wait for an orderly stop (SIGKILL after 30 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill9();
        }
    }

    /**
     * {@link #close()} for several hubs at once: SIGTERM to all, then each waited for, so their orderly stops overlap
     * instead of adding up. Nulls are skipped.
     */
    public static void closeAll(HubProcess... hubs) throws InterruptedException {
        for (HubProcess h : hubs) {
            if (h != null) {
                h.process.destroy();
            }
        }
        for (HubProcess h : hubs) {
            if (h != null) {
                h.close(); // SIGTERM again is harmless; waits, SIGKILL after 30 s
            }
        }
    }
}
