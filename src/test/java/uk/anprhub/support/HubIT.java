package uk.anprhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The whole hub in the test JVM on a random port, with its embedded PostgreSQL in a fresh folder: one Spring
 * context shared by every subclass with the same configuration (a subclass with properties of its own gets a context,
 * and a data directory, of its own). Talks to it over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.http.max-body=1MB",
        "anpr.retention.initial-delay=PT1H",
        // the camera file watch every second (default 5 s): CameraReloadAuditIT waits for it, and for two more checks
        "anpr.cameras.reload-check=PT1S",
        "anpr.demo=true", // the tests post to connector ids as feeds (/ingest/nas-json ...): demo mode
        "anpr.users[0].name=ops", "anpr.users[0].roles[0]=ops",
        // HTTP feed policies under test (HttpFeedsIT): an API key (sha256 of "camera-key-1") and an address allowlist
        "anpr.feeds.keyed-nas.connector=nas-json",
        "anpr.feeds.keyed-nas.api-keys[0]=c6f793a2d38359c632c6e68ff098977f978b778ac000b460216de7dea8b7413d",
        "anpr.feeds.far-away-nas.connector=nas-json",
        "anpr.feeds.far-away-nas.allowlist[0]=10.99.0.0/16",
        // bcrypt of "ops-test-password" (tests only)
        "anpr.users[0].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        // WebSecurityIT: an account of another role, one without roles, one it locks by failed logins (same password)
        "anpr.users[1].name=auditor", "anpr.users[1].roles[0]=auditor",
        "anpr.users[1].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[2].name=no-roles",
        "anpr.users[2].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[3].name=guessed", "anpr.users[3].roles[0]=ops",
        "anpr.users[3].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        // one account per role of the access issue (same password)
        "anpr.users[4].name=investigator", "anpr.users[4].roles[0]=investigator",
        "anpr.users[4].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[5].name=supervisor", "anpr.users[5].roles[0]=supervisor",
        "anpr.users[5].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[6].name=hotlists", "anpr.users[6].roles[0]=hotlist-manager",
        "anpr.users[6].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS"})
@ContextConfiguration(initializers = ContextDataDir.class) // a data directory per context, see ContextDataDir
public abstract class HubIT {

    /** A copy of the demo registry that tests may add cameras to (shared: files only, no lock). */
    protected static final Path CAMERAS;

    static {
        try {
            CAMERAS = Files.createTempDirectory("anpr-hub-it-cameras");
            try (var files = Files.list(Path.of("src", "test", "resources", "cameras"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Files.copy(f, CAMERAS.resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("anpr.cameras.location", CAMERAS::toString);
    }

    protected static final String OPS_USER = "ops";
    protected static final String OPS_PASSWORD = "ops-test-password";

    protected HttpRequest.Builder asOps(String path) {
        String basic = java.util.Base64.getEncoder().encodeToString((OPS_USER + ":" + OPS_PASSWORD).getBytes());
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + basic)
                .header("X-Anpr-Client", "test").timeout(Duration.ofSeconds(60));
    }

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    protected HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** The value of a Prometheus sample line such as {@code anpr_reads_stored_total{feed="nas-json"}}, or 0. */
    protected double metric(String sample) throws IOException, InterruptedException {
        for (String line : get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }
}
