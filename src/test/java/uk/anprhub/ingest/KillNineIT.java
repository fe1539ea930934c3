package uk.anprhub.ingest;

import uk.anprhub.support.FreePorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.support.TestDatabase;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub as a real process, killed with SIGKILL in the middle of a load: every read that got a 2xx must be in
 * PostgreSQL, and the restarted hub works on. The database runs in the test JVM so it outlives the hub.
 */
class KillNineIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedReadSurvivesAKillMinus9() throws Exception {
        try (TestDatabase db = TestDatabase.start()) {
            int port = FreePorts.next();
            Process hub = startHub(db, port);
            Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                waitUntilUp(port, hub);
                for (int i = 0; i < 16; i++) {
                    clients.submit(() -> {
                        while (loading.get()) {
                            try {
                                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/nas-json"))
                                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                                        .POST(HttpRequest.BodyPublishers.ofString(TestReads.array(10))).build(), HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() == 200) {
                                    JSON.readTree(r.body()).get("readIds").forEach(n -> acknowledged.add(UUID.fromString(n.asText())));
                                }
                            } catch (IOException e) {
                                // the hub is gone: keep trying until the test stops the load
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                }
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (acknowledged.size() < 3000 && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                hub.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                hub.waitFor(10, TimeUnit.SECONDS);
                Thread.sleep(500);
                loading.set(false);
            } finally {
                clients.shutdownNow();
                clients.awaitTermination(10, TimeUnit.SECONDS);
                hub.destroyForcibly();
            }
            System.out.println("KillNineIT: " + acknowledged.size() + " reads acknowledged before SIGKILL");
            assertThat(acknowledged).hasSizeGreaterThan(1000);

            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
            Integer stored = jdbc.queryForObject("select count(*) from nas_read where read_id = any(?::uuid[])", Integer.class,
                    (Object) acknowledged.stream().map(UUID::toString).toArray(String[]::new));
            assertThat(stored).as("acknowledged reads found in the store after kill -9").isEqualTo(acknowledged.size());

            Process again = startHub(db, port);
            try {
                waitUntilUp(port, again);
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/nas-json"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(TestReads.read())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            } finally {
                again.destroy();
                again.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Process startHub(TestDatabase db, int port) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Danpr.home=" + root, "-jar", root.resolve("target/anpr-hub.jar").toString(), "run", "--demo",
                "--server.port=" + port, "--logging.level.root=WARN");
        pb.environment().put("ANPR_DB_URL", db.jdbcUrl());
        pb.environment().put("ANPR_DATA_DIR", data.toString());
        pb.redirectErrorStream(true).redirectOutput(data.resolve("hub.log").toFile());
        return pb.start();
    }

    private static void waitUntilUp(int port, Process hub) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            assertThat(hub.isAlive()).as("hub process alive").isTrue();
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode h = JSON.readTree(r.body());
                if (r.statusCode() == 200 && "UP".equals(h.path("status").asText())) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("hub did not come up in 120 s");
    }

}
