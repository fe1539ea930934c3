package uk.anprhub.bench.reference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import plaincamel.PlainCamelApp;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.support.TestDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two reference lines of the benchmark report work against a real PostgreSQL migrated with the hub's scripts:
 * the COPY reference writes (and then removes) its rows, and the plain Camel route stores one read and forwards it
 * to the NAS simulator. Own database and simulator; no hub context.
 */
class ReferencesIT {

    static TestDatabase db;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        jdbc = new JdbcTemplate(db.dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void copyReferenceCopiesTheRowsAndLeavesTheStoreAsItWas() throws Exception {
        long before = jdbc.queryForObject("select count(*) from nas_read", Long.class);
        double perSecond = CopyReference.readsPerSecond(db.jdbcUrl(), "postgres", "", 12_000); // two transactions
        assertThat(perSecond).isPositive();
        assertThat(jdbc.queryForObject("select count(*) from nas_read", Long.class)).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from delivery", Long.class)).isZero();
    }

    @Test
    void copyDataIsWhatTheHubStores() throws Exception {
        byte[] chunk = CopyReference.data(3).get(0);
        String[] rows = new String(chunk, java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertThat(rows).hasSize(3);
        String[] cols = rows[0].split("\t");
        assertThat(cols).hasSize(9);
        assertThat(cols[1]).startsWith(CopyReference.KEY_PREFIX);
        assertThat(cols[8]).contains("\"idempotencyKey\":\"" + cols[1] + "\"").contains("\"cameraId\":\"MPS-DEMO-0001\"");
    }

    @Test
    void thePlainRouteStoresAReadForwardsItToNasAndAnswersLikeTheHub() throws Exception {
        try (NasSimulator nas = NasSimulator.start(0);
             ConfigurableApplicationContext app = PlainCamelApp.start("--server.port=0", "--ref.db.url=" + db.jdbcUrl(),
                     "--ref.nas.url=" + nas.nasUrl())) {
            assertThat(app.getEnvironment().getProperty("anpr.store.batch-size")).as("hub's application.yaml not loaded").isNull();
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            String read = "{\"vrm\":\"RF12 ITX\",\"captureTimeUtc\":\"" + Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS)
                    + "\",\"cameraId\":\"MPS-DEMO-0002\",\"confidencePct\":88}";
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/nas-json"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(read)).build();
            HttpResponse<String> first = http.send(post, HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("{\"stored\":1,\"duplicates\":0}");
            HttpResponse<String> again = http.send(post, HttpResponse.BodyHandlers.ofString());
            assertThat(again.body()).isEqualTo("{\"stored\":0,\"duplicates\":1}");

            assertThat(jdbc.queryForObject("select count(*) from nas_read where vrm = 'RF12ITX' and camera_id = 'MPS-DEMO-0002'"
                    + " and body->>'readId' = read_id::text", Long.class)).isEqualTo(1);
            HttpResponse<String> stats = http.send(HttpRequest.newBuilder(URI.create(nas.nasUrl() + "/_stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stats.body()).contains("\"accepted\":1,").contains("\"uniqueReadIds\":1,");
        }
    }
}
