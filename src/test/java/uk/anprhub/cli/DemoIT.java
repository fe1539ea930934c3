package uk.anprhub.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.anprhub.support.ChildJvm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bin/anpr-hub demo} as a real process of the jar: it starts the hub, the NAS simulator and cameras over HTTP,
 * TCP and FTP, prints where to look and how to take NAS down, reads arrive and reach the NAS simulator, and a
 * SIGTERM (what Ctrl-C does too) stops every process it started.
 */
class DemoIT {

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theDemoRunsCamerasOfSeveralTransportsIntoTheHubAndNasAndStopsCleanly() throws Exception {
        int port = freePort(), nas = freePort(), tcp = freePort(), ftp = freePort();
        Path root = Path.of("").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Danpr.home=" + root, "-jar", root.resolve("target/anpr-hub.jar").toString(), "demo",
                "--port", String.valueOf(port), "--nas-port", String.valueOf(nas), "--tcp-port", String.valueOf(tcp),
                "--ftp-port", String.valueOf(ftp), "--data-dir", data.toString(), "--rate", "5");
        // the demo starts 7 JVMs of its own (NAS simulator, hub, cameras): the environment carries the flags to them
        String toolOptions = System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", "");
        if (!ChildJvm.FLAGS.isEmpty()) {
            pb.environment().put("JAVA_TOOL_OPTIONS", (toolOptions + " " + ChildJvm.flags()).strip());
        }
        Process demo = pb.redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            } catch (Exception e) {
                // the process ended
            }
        });
        reader.start();
        try {
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !demo.isAlive() || lines.stream().anyMatch(l -> l.contains("Press Ctrl-C")));
            String out = String.join("\n", lines);
            assertThat(demo.isAlive()).as(out).isTrue();
            assertThat(out).contains("http://localhost:" + port + "/actuator/hawtio/", "login: ops / demo-",
                    "http://localhost:" + port + "/actuator/prometheus", "/actuator/health/readiness",
                    "http://localhost:" + nas + "/nas/v1/_faults -d '{\"mode\":\"down\"}'",
                    "http://localhost:" + nas + "/nas/v1/_faults -d '{\"mode\":\"up\"}'", "docs/operations.md");

            // reads of every transport stored, and delivered to the demo's NAS simulator
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                String metrics = get("http://localhost:" + port + "/actuator/prometheus");
                assertThat(value(metrics, "anpr_reads_stored_total{feed=\"hikvision-isapi\"}")).as("HTTP").isPositive();
                assertThat(value(metrics, "anpr_reads_stored_total{feed=\"genetec-sharpv-ftp\"}")).as("FTP").isPositive();
                assertThat(metrics).as("TCP").containsPattern("camel_exchanges_total\\{[^}]*routeId=\"tcp-nas-json\"[^}]*} [1-9]");
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("http://localhost:" + nas + "/nas/v1/_stats"))
                        .path("accepted").asLong()).as("accepted by NAS").isPositive(); // top level: bof2 has its own counts
            });

            List<ProcessHandle> children = demo.descendants().toList();
            assertThat(children.size()).as("nas-sim, hub, 5 camera groups").isGreaterThanOrEqualTo(7);
            long t0 = System.nanoTime();
            demo.destroy(); // SIGTERM: the demo's shutdown hook stops what it started, as on Ctrl-C
            assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("demo stopped").isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
            System.out.printf("DemoIT: demo and its %d processes stopped in %d ms%n", children.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            reader.join(5_000); // what counts is above: every process the demo started has ended
        } catch (AssertionError | RuntimeException e) {
            printLogs(lines);
            throw e;
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    /** What the demo and its processes said, to see why a check failed. */
    private void printLogs(List<String> lines) {
        System.out.println("DemoIT: demo output:\n" + String.join("\n", lines));
        try (var logs = java.nio.file.Files.list(data)) {
            for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                List<String> all = java.nio.file.Files.readAllLines(log);
                System.out.println("DemoIT: " + log.getFileName() + " (last lines):\n"
                        + String.join("\n", all.subList(Math.max(0, all.size() - 15), all.size())));
            }
        } catch (Exception e) {
            System.out.println("DemoIT: no logs: " + e);
        }
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double value(String metrics, String sample) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    private static int freePort() throws Exception {
        return uk.anprhub.support.FreePorts.next();
    }
}
