package uk.anprhub.security;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import uk.anprhub.support.FreePorts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The hub as production runs it — no demo mode, so connector ids are not HTTP feeds — on a random port with its own
 * embedded PostgreSQL: one Spring context shared by the security tests of this package. Small web limits (20 Tomcat
 * threads, 8 concurrent camera bodies, 3 s per body, 1 s per read) so the slow-body attack needs few connections.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        "anpr.cameras.location=src/test/resources/cameras", // the demo registry, a test fixture: not demo mode
        "anpr.users[0].name=ops",
        // bcrypt of "ops-test-password" (tests only)
        "anpr.users[0].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[0].roles[0]=ops",
        // sha256 of "camera-key-1"
        "anpr.feeds.keyed-nas.connector=nas-json",
        "anpr.feeds.keyed-nas.api-keys[0]=c6f793a2d38359c632c6e68ff098977f978b778ac000b460216de7dea8b7413d",
        "anpr.feeds.listed-nas.connector=nas-json",
        "anpr.feeds.listed-nas.allowlist[0]=10.99.0.0/16",
        "anpr.feeds.old-style-nas.connector=nas-json",
        "anpr.feeds.old-style-nas.allow[0]=10.98.0.0/16",
        // a feed configured here for its TCP transport only
        "anpr.feeds.tcp-only-nas.connector=nas-json",
        "anpr.feeds.tcp-only-nas.http=false",
        // nas-json is a TCP feed (declared by anpr.tcp.feeds), not an HTTP one
        "anpr.tcp.feeds.nas-json.framing=line",
        "anpr.tcp.feeds.nas-json.ack=ACK {stored}\\n",
        "server.tomcat.threads.max=20",
        "server.tomcat.connection-timeout=1s",
        "anpr.http.max-concurrent-bodies=8",
        "anpr.http.body-timeout=3s"})
abstract class ProductionHub {

    static final Path DATA;
    private static final java.util.concurrent.atomic.AtomicInteger CONTEXTS = new java.util.concurrent.atomic.AtomicInteger();
    static final String KEY = "camera-key-1";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ScheduledExecutorService TRICKLE = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "slow-sender");
        t.setDaemon(true);
        return t;
    });

    static {
        try {
            DATA = Files.createTempDirectory("anpr-security-it");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        // a folder per Spring context (a subclass with other properties has a context, and a PostgreSQL, of its own)
        Path own = DATA.resolve("context-" + CONTEXTS.incrementAndGet());
        registry.add("anpr.data-dir", own::toString);
        int tcpPort = FreePorts.next(); // per context too: two contexts may be cached side by side
        registry.add("anpr.tcp.feeds.nas-json.port", () -> tcpPort);
    }

    @LocalServerPort
    int port;
    /** The TCP feed's port in this context. */
    @org.springframework.beans.factory.annotation.Value("${anpr.tcp.feeds.nas-json.port}")
    int tcpPort;
    @Autowired
    JdbcTemplate jdbc;

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<String> post(String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET that must be answered within {@code timeout} (HttpTimeoutException otherwise). */
    HttpResponse<String> get(String path, Duration timeout, boolean asOps) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(timeout);
        if (asOps) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ops:ops-test-password".getBytes()));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    /** The value of a Prometheus sample line such as {@code anpr_http_ingest_refused_total{reason="busy"}}, or 0. */
    double metric(String sample) throws Exception {
        for (String line : get("/actuator/prometheus", Duration.ofSeconds(10), false).body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    /**
     * An attacker's connection: sends the request head announcing {@code length} body bytes, then trickles one body
     * byte every {@code every} (never, when null) until the hub answers or closes.
     */
    final class SlowSender implements AutoCloseable {
        final Socket socket;
        final long openedNanos = System.nanoTime();
        /** status code and the moment (ns since opening) the status line arrived; -1 = closed without an answer */
        final CompletableFuture<int[]> answer = new CompletableFuture<>();
        volatile String head = "";

        SlowSender(String path, int length, Duration every, String... headers) throws IOException {
            this(port, path, length, every, headers);
        }

        /** The same against another port of the hub (the camera listener). */
        SlowSender(int hubPort, String path, int length, Duration every, String... headers) throws IOException {
            socket = new Socket("localhost", hubPort);
            socket.setSoTimeout(30_000);
            StringBuilder h = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (every != null) {
                var task = TRICKLE.scheduleAtFixedRate(() -> {
                    try {
                        out.write('[');
                        out.flush();
                    } catch (IOException e) {
                        throw new IllegalStateException("closed by the hub", e); // ends the schedule
                    }
                }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
                answer.whenComplete((a, e) -> task.cancel(false));
            }
            Thread reader = new Thread(this::readAnswer, "slow-sender-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void readAnswer() {
            try {
                InputStream in = socket.getInputStream();
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0 && !line.toString().endsWith("\r\n\r\n")) {
                    line.append((char) c);
                }
                head = line.toString();
                String[] parts = head.split(" ", 3);
                answer.complete(new int[]{parts.length > 1 ? Integer.parseInt(parts[1]) : -1,
                        (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedNanos)});
            } catch (IOException | RuntimeException e) {
                answer.complete(new int[]{-1, (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedNanos)});
            }
        }

        /** True when the hub closed the connection after its answer (nothing more to read but end of stream). */
        boolean closedByHub() {
            try {
                socket.setSoTimeout(3000);
                while (true) {
                    if (socket.getInputStream().read() < 0) {
                        return true;
                    }
                }
            } catch (IOException e) {
                return e.getMessage() != null && e.getMessage().contains("reset"); // closed with our bytes unread
            }
        }

        @Override
        public void close() throws IOException {
            answer.complete(new int[]{-1, -1});
            socket.close();
        }
    }
}
