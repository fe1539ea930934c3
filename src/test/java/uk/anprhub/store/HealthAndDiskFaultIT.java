package uk.anprhub.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11.5 (a picture store that cannot be written: 503 + Retry-After + JSON, no orphan pictures, health and
 * readiness say so, recovery once fixed) and issue 15.1 (probes a load balancer can trust: a paused delivery target
 * degrades health, never readiness). The write fault is real: a file stands where a picture directory must be, so
 * the JVM's own write fails with an IOException (a full disk cannot be made without root in CI).
 */
class HealthAndDiskFaultIT extends HubIT {

    /** A JPEG as far as the hub checks (magic bytes). */
    private static final String JPEG = Base64.getEncoder().encodeToString(
            new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, (byte) 0xFF, (byte) 0xD9});

    @Autowired
    FileImageStore images;

    private static String readWithPicture(Instant captured) {
        String r = TestReads.read(TestReads.plate(), captured, 1);
        return r.substring(0, r.length() - 1) + ",\"plateImage\":{\"data\":\"" + JPEG + "\"}}";
    }

    private static LocalDate day(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aPictureThatCannotBeWrittenIs503WithRetryAfterLeavesNoOrphanAndRecovers() throws Exception {
        Instant today = Instant.now().minusSeconds(60);
        Instant yesterday = Instant.now().minus(Duration.ofDays(1));
        Path root = images.root();
        Path okDay = Files.createDirectories(root.resolve(day(today).toString()));
        Path badDay = root.resolve(day(yesterday).toString());
        Path aside = root.resolveSibling("images-aside-day");
        if (Files.exists(badDay)) {
            Files.move(badDay, aside);
        }
        List<Path> before = files(okDay);
        Files.writeString(badDay, "not a directory"); // the second read's picture cannot be written
        HttpResponse<String> r;
        try {
            r = postJson("/ingest/nas-json", "[" + readWithPicture(today) + "," + readWithPicture(yesterday) + "]");
        } finally {
            Files.delete(badDay);
            if (Files.exists(aside)) {
                Files.move(aside, badDay);
            }
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(r).get("error").asText()).isEqualTo("store-unavailable");
        assertThat(files(okDay)).as("the first read's picture went with its failed batch").isEqualTo(before);

        // the whole image store unwritable: health and readiness say so, and the hub recovers once it is back
        Path moved = root.resolveSibling("images-aside");
        Files.move(root, moved);
        Files.writeString(root, "not a directory");
        try {
            HttpResponse<String> refused = postJson("/ingest/nas-json", readWithPicture(today));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
            HttpResponse<String> notReady = get("/actuator/health/readiness");
            assertThat(notReady.statusCode()).as(notReady.body() + " / " + get("/actuator/health").body()).isEqualTo(503);
            JsonNode health = json(get("/actuator/health"));
            assertThat(health.at("/components/images/status").asText()).isEqualTo("DOWN");
        } finally {
            Files.delete(root);
            Files.move(moved, root);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
        HttpResponse<String> ok = postJson("/ingest/nas-json", readWithPicture(today));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(get("/actuator/health")).at("/components/disk/status").asText()).isEqualTo("UP");
        assertThat(metric("anpr_store_disk_free_bytes{path=\"images\"}")).isPositive();
        assertThat(metric("anpr_store_disk_free_bytes{path=\"data\"}")).isPositive();
    }

    @Test
    void probesAreOpenAndAPausedDeliveryTargetDegradesHealthButNeverReadiness() throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/actuator/health/readiness");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json(ready).get("status").asText()).isEqualTo("UP");

        HttpResponse<String> paused = HTTP.send(asOps("/api/v1/delivery/targets/nas/pause?why=NAS%20maintenance%20window")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        try {
            HttpResponse<String> health = get("/actuator/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(json(health).at("/components/delivery/status").asText()).isEqualTo("DEGRADED");
            assertThat(json(health).get("status").asText()).as(health.body()).isEqualTo("DEGRADED");
            ready = get("/actuator/health/readiness");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(json(ready).get("status").asText()).isEqualTo("UP");
            assertThat(json(ready).has("components") ? json(ready).get("components").has("delivery") : false).isFalse();
        } finally {
            HTTP.send(asOps("/api/v1/delivery/targets/nas/resume?why=maintenance%20over")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
