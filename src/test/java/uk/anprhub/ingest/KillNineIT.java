package uk.anprhub.ingest;

import uk.anprhub.support.FreePorts;
import uk.anprhub.support.HubProcess;
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
import java.util.Map;
import java.time.Duration;
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
            HubProcess hub = startHub(db, port);
            Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                hub.waitUntilUp(Duration.ofSeconds(180));
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
                try {
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                            .until(() -> acknowledged.size() >= 3000);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // a slow machine: kill with what has been acknowledged so far
                }
                hub.kill9(); // SIGKILL: no shutdown hook, no flush
                Thread.sleep(500); // the load keeps hitting the dead hub for a moment
                loading.set(false);
            } finally {
                clients.shutdownNow();
                clients.awaitTermination(10, TimeUnit.SECONDS);
                hub.kill9();
            }
            System.out.println("KillNineIT: " + acknowledged.size() + " reads acknowledged before SIGKILL");
            assertThat(acknowledged).hasSizeGreaterThan(1000);

            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
            Integer stored = jdbc.queryForObject("select count(*) from nas_read where read_id = any(?::uuid[])", Integer.class,
                    (Object) acknowledged.stream().map(UUID::toString).toArray(String[]::new));
            assertThat(stored).as("acknowledged reads found in the store after kill -9").isEqualTo(acknowledged.size());

            try (HubProcess again = startHub(db, port)) {
                again.waitUntilUp(Duration.ofSeconds(180));
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/nas-json"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(TestReads.read())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
    }

    private HubProcess startHub(TestDatabase db, int port) throws IOException {
        return HubProcess.start(data, port, Map.of("ANPR_DB_URL", db.jdbcUrl()));
    }

}
