package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import uk.anprhub.store.ImageStore;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14.11, pictures a camera only names (LILIN {@code LP_BMPn=path}, Hikvision pull {@code picName}): the mapping
 * gives {@code {"ref": ...}}, connector.yaml's {@code pictures.url} turns it into a URL on the camera's address, and
 * the hub's own scheduled fetcher takes the picture from a real HTTP server standing in for the camera and attaches
 * it. A reference that tries to name another host stays a path on the camera: the other host is never asked.
 * Own context: a copy of the catalogue whose lilin-alarm template names the stand-in camera's port.
 */
class PictureReferenceIT extends HubIT {

    private static final byte[] PNG = png();
    private static final HttpServer CAMERA;
    private static final HttpServer ELSEWHERE;
    private static final List<String> ASKED = new CopyOnWriteArrayList<>();
    private static final List<String> ASKED_ELSEWHERE = new CopyOnWriteArrayList<>();
    private static final Path CATALOGUE;

    static {
        try {
            CAMERA = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            CAMERA.createContext("/", ex -> {
                ASKED.add(ex.getRequestURI().getRawPath());
                boolean ok = ex.getRequestURI().getRawPath().startsWith("/LPR_IMAGE/");
                byte[] body = ok ? PNG : "no".getBytes();
                ex.sendResponseHeaders(ok ? 200 : 404, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            CAMERA.start();
            ELSEWHERE = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
            ELSEWHERE.createContext("/", ex -> {
                ASKED_ELSEWHERE.add(ex.getRequestURI().getRawPath());
                ex.sendResponseHeaders(200, PNG.length);
                ex.getResponseBody().write(PNG);
                ex.close();
            });
            ELSEWHERE.start();
            CATALOGUE = Files.createTempDirectory("anpr-picture-ref-connectors");
            FileSystemUtils.copyRecursively(Path.of("connectors"), CATALOGUE);
            Path lilin = CATALOGUE.resolve("lilin-alarm/connector.yaml");
            String yaml = Files.readString(lilin);
            String shipped = "url: 'http://{camera}/{ref}'";
            assertThat(yaml).contains(shipped);
            Files.writeString(lilin, yaml.replace(shipped, "url: 'http://{camera}:" + CAMERA.getAddress().getPort() + "/{ref}'"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void catalogue(DynamicPropertyRegistry registry) {
        registry.add("anpr.catalog.connectors", CATALOGUE::toString);
        // the test's posts come from 127.0.0.1, a camera the registry does not know: accepted, flagged, and the
        // picture asked of the sender's address
        registry.add("anpr.feeds.lilin-alarm.accept-unknown-cameras", () -> "true");
        registry.add("anpr.pictures.interval", () -> "300ms");
    }

    @AfterAll
    static void stop() {
        CAMERA.stop(0);
        ELSEWHERE.stop(0);
    }

    @Autowired
    ImageStore images;

    @Test
    void aPictureTheCameraOnlyNamesIsFetchedFromTheCameraAndAttached() throws Exception {
        Instant at = Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        String path = "LPR_IMAGE/" + UUID.randomUUID() + "_lp.png";
        UUID id = post(TestReads.plate(), at, path);

        JsonNode stored = body(id);
        assertThat(stored.path("plateImage").path("url").asText())
                .isEqualTo("http://127.0.0.1:" + CAMERA.getAddress().getPort() + "/" + path);

        within15s(() -> body(id).path("plateImage").has("sha256"));
        JsonNode body = body(id);
        assertThat(body.path("plateImage").path("bytes").asLong()).isEqualTo(PNG.length);
        assertThat(body.path("plateImage").path("contentType").asText()).isEqualTo("image/png");
        assertThat(images.get(at.atOffset(ZoneOffset.UTC).toLocalDate(), id, "plate")).isEqualTo(PNG);
        assertThat(ASKED).containsOnlyOnce("/" + path);
        assertThat(jdbc.queryForObject("select count(*) from picture_fetch where read_id = ?", Integer.class, id)).isZero();
    }

    @Test
    void aReferenceThatNamesAnotherHostStaysAPathOnTheCamera() throws Exception {
        Instant at = Instant.now().minusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
        String other = "127.0.0.2:" + ELSEWHERE.getAddress().getPort();
        UUID viaAt = post(TestReads.plate(), at, "x@" + other + "/p.png");
        UUID viaSlashes = post(TestReads.plate(), at.plusSeconds(1), "//" + other + "/../../p.png?a#b");

        String camera = "http://127.0.0.1:" + CAMERA.getAddress().getPort() + "/";
        assertThat(body(viaAt).path("plateImage").path("url").asText())
                .isEqualTo(camera + "x%40127.0.0.2%3A" + ELSEWHERE.getAddress().getPort() + "/p.png");
        assertThat(body(viaSlashes).path("plateImage").path("url").asText())
                .isEqualTo(camera + "//127.0.0.2%3A" + ELSEWHERE.getAddress().getPort() + "/%2E%2E/%2E%2E/p.png%3Fa%23b");
        // both asked of the camera (which has no such picture: 404, tried again later), never of the other host
        within15s(() -> ASKED.stream().filter(p -> p.contains("127.0.0.2")).count() >= 2);
        assertThat(ASKED_ELSEWHERE).isEmpty();
        assertThat(body(viaAt).path("plateImage").has("sha256")).isFalse();
    }

    /** One LILIN getalarmmotion part with a filled slot (the shape of connectors/lilin-alarm sample 001). */
    private UUID post(String plate, Instant at, String bmp) throws Exception {
        String time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(at);
        String body = "--myboundary\r\nContent-Type: text/plain\r\n\r\nMotionDetect=0\r\nLPR0=" + plate
                + ",ACT_PARAM0=Visitor,LP_X0=1,LP_Y0=2,LP_W0=3,LP_H0=4,LPR_TIME0=" + time + " GMT,LP_BMP0=" + bmp + "\r\n";
        var r = post("/ingest/lilin-alarm", "multipart/x-mixed-replace; boundary=myboundary", body.getBytes(StandardCharsets.US_ASCII));
        JsonNode answer = json(r);
        assertThat(answer.path("stored").asInt()).as(answer.toString()).isEqualTo(1);
        return UUID.fromString(answer.path("readIds").get(0).asText());
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void within15s(Check check) throws Exception {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!check.ok()) {
            assertThat(System.nanoTime()).as("not within 15 s").isLessThan(end);
            Thread.sleep(100);
        }
    }

    private JsonNode body(UUID readId) throws Exception {
        return JSON.readTree(jdbc.queryForObject("select body::text from nas_read where read_id = ?", String.class, readId));
    }

    /** A 1x1 PNG: the checks of an inline picture look at the signature and the size. */
    private static byte[] png() {
        return java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    }
}
