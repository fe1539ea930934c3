package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.connector.Connector;
import uk.anprhub.store.ImageStore;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14.11, pictures the camera keeps and only references: a read with {@code {"url": ...}} is stored with the
 * reference pending; the fetcher takes it from a real HTTP server (the JDK's) standing in for the camera and
 * attaches it once, retries a 503, marks an oversize or non-image answer failed, and refuses a host that is neither
 * the read's sender nor listed without making any request.
 */
class PictureFetchIT extends HubIT {

    private static final byte[] JPEG = read("connectors/hikvision-ftp/samples/001-plate-in-name.jpg");

    @Autowired
    DataSource dataSource;
    @Autowired
    ImageStore images;
    @Autowired
    ObjectMapper mapper;
    @Autowired
    MeterRegistry meters;

    private HttpServer camera;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final java.util.concurrent.CountDownLatch slowDropped = new java.util.concurrent.CountDownLatch(1);
    private String sender; // the address the hub sees this test's posts come from

    @BeforeEach
    void startCamera() throws Exception {
        JsonNode probe = json(postJson("/ingest/nas-json", read(TestReads.plate(), Instant.now().minusSeconds(30), null)));
        UUID id = UUID.fromString(probe.path("readIds").get(0).asText());
        sender = jdbc.queryForObject("select r.remote_addr from nas_read n join raw_message r on r.id = n.raw_id "
                + "where n.read_id = ?", String.class, id);
        camera = HttpServer.create(new InetSocketAddress(InetAddress.getByName(sender), 0), 0);
        AtomicInteger flaky = new AtomicInteger();
        camera.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body;
            int status = 200;
            if (path.startsWith("/pic/slow")) { // slowloris: headers at once, then one byte every 100 ms
                ex.sendResponseHeaders(200, 1_000_000);
                try {
                    for (int i = 0; i < 300; i++) {
                        ex.getResponseBody().write(JPEG[i % JPEG.length]);
                        ex.getResponseBody().flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    slowDropped.countDown(); // the hub hung up
                }
                ex.close();
                return;
            }
            if (path.startsWith("/pic/redirect")) { // to a picture the camera does have: still not followed
                ex.getResponseHeaders().add("Location", "/pic/ok/redirected.jpg");
                ex.sendResponseHeaders(302, -1);
                ex.close();
                return;
            }
            if (path.startsWith("/pic/digest")) {
                status = digestAnswers(ex) ? 200 : 401;
                body = status == 200 ? JPEG : "login".getBytes();
            } else if (path.startsWith("/pic/ok")) {
                body = JPEG;
            } else if (path.startsWith("/pic/flaky") && flaky.getAndIncrement() == 0) {
                status = 503;
                body = "busy".getBytes();
            } else if (path.startsWith("/pic/flaky")) {
                body = JPEG;
            } else if (path.startsWith("/pic/huge")) {
                body = new byte[60_000];
                System.arraycopy(JPEG, 0, body, 0, JPEG.length);
            } else {
                body = "<html>login</html>".getBytes();
            }
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        camera.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a slow answer must not stall the rest
        camera.start();
    }

    @AfterEach
    void stopCamera() {
        camera.stop(0);
    }

    @Test
    void aReferencedPictureIsFetchedFromTheCameraAndAttachedOnce() throws Exception {
        Stored s = store("/pic/ok/1.jpg?user=admin&pwd=secret");
        assertThat(s.body().path("overviewImage").path("sha256").isMissingNode()).as("pending until fetched").isTrue();
        assertThat(pending(s.readId())).isEqualTo("pending");

        PictureFetcher fetcher = fetcher(List.of());
        fetcher.runOnce();

        JsonNode body = body(s.readId());
        assertThat(body.path("overviewImage").path("sha256").asText()).isNotEmpty();
        assertThat(body.path("overviewImage").path("bytes").asLong()).isEqualTo(JPEG.length);
        assertThat(body.path("overviewImage").path("url").isMissingNode()).isTrue();
        assertThat(images.get(s.day(), s.readId(), "overview")).isEqualTo(JPEG);
        assertThat(pending(s.readId())).as("the reference is done").isNull();

        fetcher.runOnce(); // nothing left: no second request, nothing changed
        assertThat(requests.get("/pic/ok/1.jpg").get()).isEqualTo(1);
        assertThat(body(s.readId())).isEqualTo(body);
        assertThat(meters.counter("anpr.pictures.fetched", "connector", "nas-json").count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void a503IsTriedAgainAndThePictureAttachedOnce() throws Exception {
        Stored s = store("/pic/flaky/2.jpg");
        PictureFetcher fetcher = fetcher(List.of());
        fetcher.runOnce();
        assertThat(pending(s.readId())).as("503: tried again later").isEqualTo("pending");
        assertThat(body(s.readId()).path("overviewImage").path("sha256").isMissingNode()).isTrue();

        fetcher.runOnce();
        assertThat(requests.get("/pic/flaky/2.jpg").get()).isEqualTo(2);
        assertThat(images.get(s.day(), s.readId(), "overview")).isEqualTo(JPEG);
        assertThat(pending(s.readId())).isNull();
        fetcher.runOnce();
        assertThat(requests.get("/pic/flaky/2.jpg").get()).isEqualTo(2);
    }

    @Test
    void anOversizeOrNonImageAnswerMarksTheReferenceFailedAndItIsNotTriedAgain() throws Exception {
        Stored huge = store("/pic/huge/3.jpg");
        Stored page = store("/pic/login/4.jpg");
        PictureFetcher fetcher = fetcher(List.of());
        fetcher.runOnce();
        fetcher.runOnce();
        assertThat(pending(huge.readId())).isEqualTo("failed");
        assertThat(reason(huge.readId())).isEqualTo("image-too-large");
        assertThat(pending(page.readId())).isEqualTo("failed");
        assertThat(reason(page.readId())).isEqualTo("bad-image");
        assertThat(requests.get("/pic/huge/3.jpg").get()).isEqualTo(1);
        assertThat(requests.get("/pic/login/4.jpg").get()).isEqualTo(1);
        assertThat(images.get(huge.day(), huge.readId(), "overview")).isNull();
        assertThat(body(page.readId()).path("overviewImage").path("url").asText()).as("the reference is kept").endsWith("/pic/login/4.jpg");
        assertThat(meters.counter("anpr.pictures.fetch.failed", "connector", "nas-json", "reason", "bad-image").count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aHostThatIsNeitherTheSenderNorListedIsRefusedWithoutARequest() throws Exception {
        // a second camera on another loopback address: not the address the reads came from
        assertThat(sender).as("the hub sees the test's posts from IPv4 loopback").isEqualTo("127.0.0.1");
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
        AtomicInteger asked = new AtomicInteger();
        elsewhere.createContext("/", ex -> {
            asked.incrementAndGet();
            ex.sendResponseHeaders(200, JPEG.length);
            ex.getResponseBody().write(JPEG);
            ex.close();
        });
        elsewhere.start();
        try {
            String url = "http://127.0.0.2:" + elsewhere.getAddress().getPort() + "/pic/ok/5.jpg";
            Stored refused = store(url, true);
            fetcher(List.of()).runOnce();
            assertThat(pending(refused.readId())).isEqualTo("failed");
            assertThat(reason(refused.readId())).isEqualTo("host-not-allowed");
            assertThat(asked.get()).as("no request made").isZero();
            assertThat(meters.counter("anpr.pictures.fetch.failed", "connector", "nas-json", "reason", "host-not-allowed")
                    .count()).isGreaterThanOrEqualTo(1);

            // the same host listed for the connector (a VMS that keeps the pictures): fetched
            Stored listed = store(url, true);
            fetcher(List.of("127.0.0.2")).runOnce();
            assertThat(asked.get()).isEqualTo(1);
            assertThat(pending(listed.readId())).isNull();
            assertThat(images.get(listed.day(), listed.readId(), "overview")).isEqualTo(JPEG);
            assertThat(pending(refused.readId())).as("a failed reference is never tried again").isEqualTo("failed");
        } finally {
            elsewhere.stop(0);
        }
    }

    @Test
    void aCameraThatWantsADigestLoginIsAnsweredWithTheAccountNamedByEnvironmentVariables() throws Exception {
        Stored s = store("/pic/digest/6.jpg?channel=1");
        Connector.Login login = new Connector.Login("CAM_PICTURES_USER", "CAM_PICTURES_PASSWORD");
        fetcher(login, Map.of("CAM_PICTURES_USER", "admin", "CAM_PICTURES_PASSWORD", "s3cret-Pw")::get).runOnce();
        assertThat(images.get(s.day(), s.readId(), "overview")).isEqualTo(JPEG);
        assertThat(pending(s.readId())).isNull();
        assertThat(requests.get("/pic/digest/6.jpg").get()).as("the challenge, then the answer").isEqualTo(2);

        // a wrong password: 401 again, failed at once (asking again will not help), the password nowhere in the row
        Stored wrong = store("/pic/digest/7.jpg");
        fetcher(login, Map.of("CAM_PICTURES_USER", "admin", "CAM_PICTURES_PASSWORD", "guess")::get).runOnce();
        assertThat(pending(wrong.readId())).isEqualTo("failed");
        assertThat(reason(wrong.readId())).isEqualTo("http-401");
        // the variables not set: failed without a second request
        Stored unset = store("/pic/digest/8.jpg");
        fetcher(login, name -> null).runOnce();
        assertThat(reason(unset.readId())).isEqualTo("login-missing");
        assertThat(requests.get("/pic/digest/8.jpg").get()).isEqualTo(1);
        // without a login declared, a 401 is not retried either
        Stored none = store("/pic/digest/9.jpg");
        fetcher(List.of()).runOnce();
        assertThat(reason(none.readId())).isEqualTo("http-401");
    }

    @Test
    void aCameraThatTricklesItsBodyDoesNotHoldTheFetcherBeyondTheTimeout() throws Exception {
        Stored slow = store("/pic/slow/10.jpg");
        PictureFetcher fetcher = fetcher(new Connector.Pictures(true, 50_000, Duration.ofSeconds(1), List.of()), System::getenv);
        long start = System.nanoTime();
        fetcher.runOnce();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).as("one round against a 30 s trickle, timeout 1 s").isLessThan(4_000);
        assertThat(pending(slow.readId())).as("tried again later").isEqualTo("pending");
        assertThat(reason(slow.readId())).isEqualTo("timeout");
        assertThat(slowDropped.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("the connection is closed").isTrue();
    }

    @Test
    void aRedirectIsNeitherFollowedNorAskedAgain() throws Exception {
        Stored moved = store("/pic/redirect/11.jpg");
        PictureFetcher fetcher = fetcher(List.of());
        fetcher.runOnce();
        fetcher.runOnce();
        assertThat(pending(moved.readId())).isEqualTo("failed");
        assertThat(reason(moved.readId())).isEqualTo("redirect");
        assertThat(requests.get("/pic/redirect/11.jpg").get()).isEqualTo(1);
        assertThat(requests).doesNotContainKey("/pic/ok/redirected.jpg");
    }

    @Test
    void anAccountAHeaderCannotCarryFailsItsReferenceAndNotTheRound() throws Exception {
        Stored digest = store("/pic/digest/12.jpg");
        Stored next = store("/pic/ok/13.jpg");
        Connector.Login login = new Connector.Login("CAM_PICTURES_USER", "CAM_PICTURES_PASSWORD");
        // a name outside Latin-1: the JDK refuses the Authorization header it ends up in
        fetcher(login, Map.of("CAM_PICTURES_USER", "\u0141ukasz", "CAM_PICTURES_PASSWORD", "s3cret-Pw")::get).runOnce();
        assertThat(reason(digest.readId())).isEqualTo("bad-request");
        assertThat(pending(digest.readId())).isEqualTo("failed");
        assertThat(images.get(next.day(), next.readId(), "overview")).as("the rest of the round went on").isEqualTo(JPEG);
    }

    /** The camera's side of Digest (RFC 7616, MD5, qop=auth) for user admin / s3cret-Pw; a challenge otherwise. */
    private static boolean digestAnswers(com.sun.net.httpserver.HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Digest ")) {
            Map<String, String> p = PictureFetchDigest.params(header.substring(7));
            String ha1 = PictureFetchDigest.h("MD5", "admin:camera:s3cret-Pw");
            String ha2 = PictureFetchDigest.h("MD5", "GET:" + ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
            String expected = PictureFetchDigest.h("MD5", ha1 + ":n0nce:" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
            if (expected.equals(p.get("response")) && "n0nce".equals(p.get("nonce")) && "admin".equals(p.get("username"))) {
                return true;
            }
        }
        ex.getResponseHeaders().add("WWW-Authenticate", "Digest realm=\"camera\", qop=\"auth\", nonce=\"n0nce\", algorithm=MD5");
        return false;
    }

    @Test
    void theGuardTakesOnlyHttpWithoutUserInfoFromTheSenderOrAListedHost() {
        assertThat(PictureFetcher.allowed(java.net.URI.create("http://10.0.0.5/a.jpg"), "10.0.0.5", List.of())).isTrue();
        assertThat(PictureFetcher.allowed(java.net.URI.create("http://10.0.0.6/a.jpg"), "10.0.0.5", List.of())).isFalse();
        assertThat(PictureFetcher.allowed(java.net.URI.create("http://[::1]:81/a.jpg"), "0:0:0:0:0:0:0:1", List.of("::1"))).isTrue();
        assertThat(PictureFetcher.allowed(java.net.URI.create("file:///etc/passwd"), "10.0.0.5", List.of())).isFalse();
        assertThat(PictureFetcher.allowed(java.net.URI.create("http://u:p@10.0.0.5/a.jpg"), "10.0.0.5", List.of())).isFalse();
        assertThat(PictureFetcher.allowed(java.net.URI.create("http://169.254.169.254/"), "10.0.0.5", List.of("vms.local"))).isFalse();
    }

    private record Stored(UUID readId, java.time.LocalDate day, JsonNode body) {
    }

    private Stored store(String path) throws Exception {
        return store(path, false);
    }

    private Stored store(String urlOrPath, boolean whole) throws Exception {
        String host = sender.contains(":") ? "[" + sender + "]" : sender;
        String url = whole ? urlOrPath : "http://" + host + ":" + camera.getAddress().getPort() + urlOrPath;
        Instant at = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        JsonNode answer = json(postJson("/ingest/nas-json", read(TestReads.plate(), at, url)));
        assertThat(answer.path("stored").asInt()).as(answer.toString()).isEqualTo(1);
        UUID id = UUID.fromString(answer.path("readIds").get(0).asText());
        return new Stored(id, at.atOffset(ZoneOffset.UTC).toLocalDate(), body(id));
    }

    private static String read(String plate, Instant at, String url) {
        String picture = url == null ? "" : ",\"overviewImage\":{\"url\":\"" + url + "\",\"contentType\":\"image/jpeg\"}";
        return """
                {"vrm":"%s","captureTimeUtc":"%s","cameraId":"MPS-DEMO-0003","confidencePct":90%s}"""
                .formatted(plate, at, picture);
    }

    private PictureFetcher fetcher(List<String> hosts) {
        return fetcher(new Connector.Pictures(true, 50_000, Duration.ofSeconds(3), hosts), System::getenv);
    }

    private PictureFetcher fetcher(Connector.Login login, java.util.function.Function<String, String> env) {
        return fetcher(new Connector.Pictures(true, 50_000, Duration.ofSeconds(3), List.of(), null, login), env);
    }

    private PictureFetcher fetcher(Connector.Pictures policy, java.util.function.Function<String, String> env) {
        PictureFetchProperties props = new PictureFetchProperties(Duration.ofSeconds(5), 50, 3, Duration.ZERO, Duration.ZERO);
        return new PictureFetcher(dataSource, images, mapper,
                id -> "nas-json".equals(id) ? Optional.of(policy) : Optional.empty(), () -> List.of("nas-json"),
                props, 7, meters, env);
    }

    private JsonNode body(UUID readId) throws Exception {
        return JSON.readTree(jdbc.queryForObject("select body::text from nas_read where read_id = ?", String.class, readId));
    }

    private String pending(UUID readId) {
        return jdbc.query("select state from picture_fetch where read_id = ?", rs -> rs.next() ? rs.getString(1) : null, readId);
    }

    private String reason(UUID readId) {
        return jdbc.queryForObject("select reason from picture_fetch where read_id = ?", String.class, readId);
    }

    private static byte[] read(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
