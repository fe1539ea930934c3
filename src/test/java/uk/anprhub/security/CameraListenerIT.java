package uk.anprhub.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import uk.anprhub.support.FreePorts;
import uk.anprhub.support.HikvisionUploads;
import uk.anprhub.support.TestReads;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The camera listener of issue 17 (direction 2) over real sockets, against the production hub of this package with
 * the listener on: the same contract as the ops port had (2xx after commit, a vendor's multipart push, 401/403/404
 * from the headers with the body unread and the connection closed, 413, 408), keep-alive and pipelining, the ops port
 * no longer taking camera requests — and the attack: 200 slow cameras hold the camera port while the ops port's health
 * and API answer at once.
 */
@TestPropertySource(properties = {
        "anpr.feeds.hikvision-isapi.connector=hikvision-isapi",
        "anpr.http.camera-listener.address=127.0.0.1",
        // above the 200 slow cameras below, low enough to flood in a test
        "anpr.http.camera-listener.max-connections=" + CameraListenerIT.MAX_CONNECTIONS})
class CameraListenerIT extends ProductionHub {

    static final int MAX_CONNECTIONS = 300;
    static final int CAMERA_PORT = FreePorts.next();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration EVERY = Duration.ofMillis(250);

    @DynamicPropertySource
    static void listener(DynamicPropertyRegistry registry) {
        registry.add("anpr.http.camera-listener.port", () -> CAMERA_PORT);
    }

    @org.springframework.beans.factory.annotation.Value("${anpr.data-dir}")
    String dataDir;

    @Test
    void itsStoreIsNotTheOtherSecurityTestsStore() {
        // a context of its own, so an embedded PostgreSQL of its own (ProductionHub gives each context a folder)
        assertThat(Path.of(dataDir).getParent()).isEqualTo(DATA);
        assertThat(Path.of(dataDir)).isNotEqualTo(DATA);
    }

    HttpResponse<String> postCamera(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CAMERA_PORT + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCanonicalReadIsAcknowledgedAfterItsCommitAndCounted() throws Exception {
        double stored = metric("anpr_reads_stored_total{feed=\"keyed-nas\"}");
        HttpResponse<String> r = postCamera("/ingest/keyed-nas", "application/json",
                TestReads.read().getBytes(StandardCharsets.UTF_8), "X-Api-Key", KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("stored").asInt()).isEqualTo(1);
        UUID id = UUID.fromString(body.get("readIds").get(0).asText());
        assertThat(count("select count(*) from nas_read where read_id = ?", id)).isEqualTo(1);
        assertThat(metric("anpr_reads_stored_total{feed=\"keyed-nas\"}") - stored).isEqualTo(1.0);
    }

    @Test
    void aVendorMultipartPushIsStoredWithItsPicture() throws Exception {
        String uuid = "listener-" + System.nanoTime();
        HttpResponse<String> r = postCamera("/ingest/hikvision-isapi", "multipart/form-data; boundary=boundary",
                HikvisionUploads.isapiPush(uuid));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String stored = jdbc.queryForObject("select body::text from nas_read where idempotency_key like ?", String.class, "%" + uuid);
        assertThat(JSON.readTree(stored).path("plateImage").path("sha256").asText()).hasSize(64);
    }

    @Test
    void refusedSendersAreAnsweredFromTheirHeadersTheirBodiesUnreadAndCounted() throws Exception {
        double unauthorised = metric("anpr_http_ingest_refused_total{reason=\"unauthorised\"}");
        List<SlowSender> senders = new ArrayList<>();
        try {
            String[] paths = {"/ingest/keyed-nas", "/ingest/listed-nas", "/ingest/nas-json", "/ingest/keyed-nas"};
            for (int i = 0; i < paths.length; i++) {
                senders.add(i == 3 ? new SlowSender(CAMERA_PORT, paths[i], 5000, EVERY, "X-Api-Key", "a-guess")
                        : new SlowSender(CAMERA_PORT, paths[i], 5000, EVERY));
            }
            int[] expected = {401, 403, 404, 401};
            for (int i = 0; i < paths.length; i++) {
                int[] a = senders.get(i).answer.get(10, TimeUnit.SECONDS);
                assertThat(a[0]).as(paths[i]).isEqualTo(expected[i]);
                assertThat(a[1]).as("answered before the body, ms").isLessThan(2000);
                assertThat(senders.get(i).head).containsIgnoringCase("Connection: close");
            }
            assertThat(senders.get(3).closedByHub()).as("connection closed, body left unread").isTrue();
        } finally {
            for (SlowSender s : senders) {
                s.close();
            }
        }
        assertThat(metric("anpr_http_ingest_refused_total{reason=\"unauthorised\"}") - unauthorised).isEqualTo(2.0);
    }

    @Test
    void aBodyOverTheLimitIsRefused413WithoutBeingRead() throws Exception {
        try (SlowSender big = new SlowSender(CAMERA_PORT, "/ingest/keyed-nas", 11 * 1024 * 1024, null, "X-Api-Key", KEY)) {
            int[] a = big.answer.get(10, TimeUnit.SECONDS);
            assertThat(a[0]).isEqualTo(413);
            assertThat(a[1]).isLessThan(5000);
            assertThat(big.closedByHub()).isTrue();
        }
    }

    @Test
    void twoHundredSlowCamerasGet408Or503WhileTheOpsPortAnswersAtOnce() throws Exception {
        double timeouts = metric("anpr_http_ingest_refused_total{reason=\"body-timeout\"}");
        double busy = metric("anpr_http_ingest_refused_total{reason=\"busy\"}");
        int cameras = 200;
        List<SlowSender> senders = new ArrayList<>();
        try {
            for (int i = 0; i < cameras; i++) {
                senders.add(new SlowSender(CAMERA_PORT, "/ingest/keyed-nas", 5000, EVERY, "X-Api-Key", KEY));
            }
            Thread.sleep(300);
            // the ops port is another server: its threads are not the cameras' to take
            assertThat(get("/actuator/health", Duration.ofSeconds(2), false).body()).contains("\"status\"");
            assertThat(get("/api/v1/delivery/targets", Duration.ofSeconds(2), true).statusCode()).isEqualTo(200);
            List<int[]> answers = new ArrayList<>();
            for (SlowSender s : senders) {
                answers.add(s.answer.get(20, TimeUnit.SECONDS));
            }
            long timedOut = answers.stream().filter(a -> a[0] == 408).count();
            long shed = answers.stream().filter(a -> a[0] == 503).count();
            assertThat(timedOut + shed).as("every camera got 408 or 503").isEqualTo(cameras);
            assertThat(timedOut).as("at most 8 read bodies at once").isBetween(1L, 8L);
            assertThat(answers.stream().filter(a -> a[0] == 408))
                    .allSatisfy(a -> assertThat(a[1]).as("408 by the deadline, ms").isBetween(2900, 6500));
            assertThat(senders.stream().filter(s -> s.answer.join()[0] == 503))
                    .allSatisfy(s -> assertThat(s.head).containsIgnoringCase("Retry-After: 1"));
        } finally {
            for (SlowSender s : senders) {
                s.close();
            }
        }
        assertThat(metric("anpr_http_ingest_refused_total{reason=\"body-timeout\"}") - timeouts).isBetween(1.0, 8.0);
        assertThat(metric("anpr_http_ingest_refused_total{reason=\"busy\"}") - busy).isGreaterThanOrEqualTo(cameras - 8);
        HttpResponse<String> ok = postCamera("/ingest/keyed-nas", "application/json",
                TestReads.read().getBytes(StandardCharsets.UTF_8), "X-Api-Key", KEY);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrderAndTheConnectionKept() throws Exception {
        String a = TestReads.read();
        String b = TestReads.read();
        try (Socket socket = new Socket("127.0.0.1", CAMERA_PORT)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((request(a) + request(b)).getBytes(StandardCharsets.UTF_8)); // both before any answer
            out.flush();
            InputStream in = socket.getInputStream();
            String first = response(in);
            String second = response(in);
            assertThat(first).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("Connection: close");
            assertThat(second).startsWith("HTTP/1.1 200");
            String vrmA = JSON.readTree(a).get("vrm").asText().replace(" ", "");
            String vrmB = JSON.readTree(b).get("vrm").asText().replace(" ", "");
            assertThat(first).contains(readIdOf(vrmA));
            assertThat(second).contains(readIdOf(vrmB));
        }
    }

    @Test
    void aFloodOfIdleConnectionsIsCappedAndTheListenerServesAgainAfterIt() throws Exception {
        double refused = metric("anpr_http_ingest_refused_total{reason=\"connections\"}");
        int extra = 3;
        List<SocketChannel> idle = new ArrayList<>();
        try (Selector closed = Selector.open()) {
            // connect and say nothing; which connections the hub counts first is its event loops' order, not the
            // order connect() returned in, so the test looks for the ones closed among all, not at the last one
            for (int i = 0; i < MAX_CONNECTIONS + extra; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", CAMERA_PORT));
                c.configureBlocking(false);
                c.register(closed, SelectionKey.OP_READ);
                idle.add(c);
            }
            Set<SocketChannel> atEof = new HashSet<>();
            ByteBuffer one = ByteBuffer.allocate(1);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (atEof.size() < extra && System.nanoTime() < until) {
                closed.select(500);
                for (SelectionKey k : closed.selectedKeys()) {
                    SocketChannel c = (SocketChannel) k.channel();
                    assertThat(c.read(one.clear())).as("closed by the hub at once, nothing read").isEqualTo(-1);
                    k.cancel();
                    atEof.add(c);
                }
                closed.selectedKeys().clear();
            }
            assertThat(atEof).as("the connections over the cap, closed").hasSizeGreaterThanOrEqualTo(extra);
            // at least: connections of earlier tests kept alive by the HTTP client count against the cap too
            assertThat(metric("anpr_http_ingest_refused_total{reason=\"connections\"}") - refused).isGreaterThanOrEqualTo(extra);
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
        // the cap is a count of open connections, not a ban: once the flood is gone a camera is served again
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> ok = postCamera("/ingest/keyed-nas", "application/json",
                    TestReads.read().getBytes(StandardCharsets.UTF_8), "X-Api-Key", KEY);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        });
    }

    @Test
    void theOpsPortNoLongerTakesCameraRequests() throws Exception {
        HttpResponse<String> r = post("/ingest/keyed-nas", "application/json", TestReads.read(), "X-Api-Key", KEY);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("unknown-feed");
    }

    private String readIdOf(String vrm) {
        return jdbc.queryForObject("select read_id::text from nas_read where vrm = ?", String.class, vrm);
    }

    private static String request(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "POST /ingest/keyed-nas HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Api-Key: " + KEY
                + "\r\nContent-Length: " + body.length + "\r\n\r\n" + json;
    }

    /** One HTTP response (head and a Content-Length body) read off the stream. */
    private static String response(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IllegalStateException("closed after: " + head);
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
