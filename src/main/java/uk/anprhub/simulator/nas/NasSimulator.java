package uk.anprhub.simulator.nas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Over 300 lines on purpose: a test and demo stand-in whose size is its servers' lifecycle plus the fault modes the
 * contract lists; the endpoints are apart ({@link CapturesEndpoint}, {@link SearchesEndpoint}, {@link Bof2Endpoint}).
 * <p>
 * The modelled National ANPR Service capture API (docs/delivery.md, contract "NAS simulator"), plus the legacy BOF2
 * {@code sendCapture} endpoint so dual running can be shown against simulators. It counts unique read ids, so tests
 * and demos can prove no loss and no duplicate. State lives in memory and survives {@code refuse}. In TLS mode the
 * capture port serves HTTPS only and demands a client certificate (as NAS over the PSN does); the admin port stays
 * plain HTTP.
 */
public final class NasSimulator implements AutoCloseable {

    static {
        // Read once when the JDK HTTP server's config class loads: must be set before any server is created, or
        // Nagle + delayed ACK add ~40 ms to every small response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Logger log = LoggerFactory.getLogger(NasSimulator.class);
    public static final String BOF2_PATH = "/bof2/services/inputcapturewebservice";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ledger nas = new Ledger();
    private final Ledger bof2 = new Ledger();
    private final Ledger searches = new Ledger();
    /** What the search API looks through: the newest accepted captures. */
    private final Sightings sightings = new Sightings(200_000);
    private final CapturesEndpoint capturesEndpoint = new CapturesEndpoint(nas, this::faults, sightings::add);
    private volatile String searchAuthorization; // null: the search API takes any caller
    private final SearchesEndpoint searchesEndpoint = new SearchesEndpoint(sightings, () -> searchAuthorization);
    private final Bof2Endpoint bof2Endpoint = new Bof2Endpoint(bof2, this::faults);
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final int port;
    private final SSLContext tls; // null: plain HTTP
    private final HttpServer admin;
    private volatile Faults faults = Faults.NONE;
    private HttpServer server; // null while refusing
    private ScheduledFuture<?> revert;

    private NasSimulator(int port, int adminPort, SSLContext tls) throws IOException {
        this.tls = tls;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(64, r -> daemon(r, "nas-sim-" + n.incrementAndGet()));
        this.timer = Executors.newScheduledThreadPool(2, r -> daemon(r, "nas-sim-timer"));
        this.server = open(port);
        this.port = server.getAddress().getPort();
        this.admin = adminPort < 0 ? null : control(HttpServer.create(new InetSocketAddress(adminPort), 50));
        if (admin != null) {
            admin.setExecutor(pool);
            admin.start();
        }
    }

    /** Starts on {@code port} (0 = any free port); {@code adminPort} serves the control paths only (-1 = none). */
    public static NasSimulator start(int port, int adminPort) throws IOException {
        return new NasSimulator(port, adminPort, null);
    }

    /**
     * Like {@link #start(int, int)}, serving HTTPS with the key of {@code tls} and refusing every client whose
     * certificate the trust managers of {@code tls} do not accept (no certificate: refused too).
     */
    public static NasSimulator startTls(int port, int adminPort, SSLContext tls) throws IOException {
        return new NasSimulator(port, adminPort, java.util.Objects.requireNonNull(tls, "tls"));
    }

    public static NasSimulator start(int port) throws IOException {
        return start(port, -1);
    }

    public int port() {
        return port;
    }

    public Integer adminPort() {
        return admin == null ? null : admin.getAddress().getPort();
    }

    /** The base URL of the capture API, as {@code ANPR_NAS_URL} would name it. */
    public String nasUrl() {
        return scheme() + "://localhost:" + port + "/nas/v1";
    }

    public String bof2Url() {
        return scheme() + "://localhost:" + port + BOF2_PATH;
    }

    private String scheme() {
        return tls == null ? "http" : "https";
    }

    public Faults faults() {
        return faults;
    }

    /** Sets the faults; {@code refuse} closes the listening socket, leaving it reopens it on the same port. */
    public synchronized void faults(Faults next) {
        Faults before = faults;
        faults = next;
        if (before.mode() != next.mode()) {
            log.info("nas-sim: mode {} -> {}", before.mode(), next.mode());
        }
        if (next.mode() == Faults.Mode.REFUSE && server != null) {
            // The listener closes at once (new connections are refused); requests already being processed are
            // still answered (up to 2 s), then every connection is closed.
            server.stop(2);
            server = null;
        } else if (next.mode() != Faults.Mode.REFUSE && server == null) {
            server = reopen();
        }
    }

    /** Like {@link #faults(Faults)}, returning to mode {@code up} (other keys kept) after {@code millis}. */
    public synchronized void faultsFor(Faults next, long millis) {
        if (revert != null) {
            revert.cancel(false);
        }
        // Scheduled before applying: closing the port for refuse may take a moment.
        revert = millis <= 0 ? null : timer.schedule(() -> faults(faults.withMode(Faults.Mode.UP)), millis, TimeUnit.MILLISECONDS);
        faults(next);
    }

    /** {@code _stats}: the contract's keys for NAS, and the same for BOF2 under {@code bof2}. */
    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>(nas.stats());
        out.put("bof2", bof2.stats());
        return out;
    }

    public long stat(String key) {
        return nas.stats().get(key);
    }

    public long bof2Stat(String key) {
        return bof2.stats().get(key);
    }

    public Set<String> acceptedReadIds() {
        return nas.acceptedKeys();
    }

    public Set<String> acceptedBof2Captures() {
        return bof2.acceptedKeys();
    }

    /** {@code _reset}: clears counters, the ids seen and the captures kept for searches (faults are left as they are). */
    public void reset() {
        nas.reset();
        bof2.reset();
        searches.reset();
        sightings.clear();
        searchesEndpoint.requests.clear();
    }

    /** The search API demands these credentials (HTTP Basic), as NAS demands the force's; null: none. */
    public void searchCredentials(String user, String password) {
        searchAuthorization = user == null ? null : SearchesEndpoint.basic(user, password);
    }

    /** The base URL of the search API ({@code POST .../searches}). */
    public String searchUrl() {
        return nasUrl() + "/searches";
    }

    /** The bodies of the search requests received since the last reset (what the hub sent: justification included). */
    public java.util.List<com.fasterxml.jackson.databind.JsonNode> searchRequests() {
        synchronized (searchesEndpoint.requests) {
            return java.util.List.copyOf(searchesEndpoint.requests);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (admin != null) {
            admin.stop(0);
        }
        timer.shutdownNow();
        pool.shutdownNow();
    }

    private HttpServer open(int p) throws IOException {
        HttpServer s = tls == null ? HttpServer.create(new InetSocketAddress(p), 200) : httpsServer(p);
        s.createContext("/nas/v1/captures", guarded(capturesEndpoint::handle, nas));
        s.createContext("/nas/v1/searches", guarded(searchesEndpoint::handle, searches));
        s.createContext(BOF2_PATH, guarded(bof2Endpoint::handle, bof2));
        control(s);
        s.setExecutor(pool);
        s.start();
        return s;
    }

    private HttpsServer httpsServer(int p) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(p), 200);
        s.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        return s;
    }

    private HttpServer reopen() {
        for (int attempt = 0; ; attempt++) {
            try {
                return open(port);
            } catch (IOException e) {
                if (attempt == 50) {
                    throw new UncheckedIOException("cannot reopen port " + port, e);
                }
                sleep(100);
            }
        }
    }

    private HttpServer control(HttpServer s) {
        s.createContext("/nas/v1/_stats", x -> send(x, 200, JSON.writeValueAsBytes(stats())));
        s.createContext("/nas/v1/_reset", x -> {
            reset();
            send(x, 200, JSON.writeValueAsBytes(stats()));
        });
        s.createContext("/nas/v1/_faults", this::setFaults);
        return s;
    }

    private void setFaults(HttpExchange x) throws IOException {
        if (!"POST".equals(x.getRequestMethod())) {
            send(x, 200, describe(faults));
            return;
        }
        Faults next;
        long duration;
        try {
            JsonNode body = JSON.readTree(x.getRequestBody());
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            next = faults.merge(body);
            duration = body.path("durationMs").asLong(0);
        } catch (IOException | IllegalArgumentException e) {
            send(x, 400, error(e.getMessage()));
            return;
        }
        if (next.mode() == Faults.Mode.REFUSE) {
            // Answer first: closing the socket from inside this exchange would cut our own answer.
            send(x, 200, describe(next));
            timer.schedule(() -> faultsFor(next, duration), 50, TimeUnit.MILLISECONDS);
        } else {
            // Apply first: a caller that sends a capture right after our answer must meet the new faults.
            faultsFor(next, duration);
            send(x, 200, describe(next));
        }
    }

    /** A capture endpoint, given the request body already read. */
    interface Endpoint {
        void handle(HttpExchange x, byte[] body) throws IOException;
    }

    /** Applies the request-level faults before a capture endpoint sees the request. */
    private HttpHandler guarded(Endpoint handler, Ledger ledger) {
        return x -> {
            try (x) {
                ledger.requests.incrementAndGet();
                Faults f = faults;
                if (!"POST".equals(x.getRequestMethod())) {
                    send(x, 405, error("POST only"));
                    return;
                }
                // Read first, so a fault never cuts the client off. (Not an exchange attribute: in JDK 17 those are
                // shared by every exchange of the context.)
                byte[] body = x.getRequestBody().readAllBytes();
                switch (f.mode()) {
                    case REFUSE -> { // arrived on a kept-alive connection while the port closes: never processed
                        ledger.faulted.incrementAndGet();
                        x.close();
                        return;
                    }
                    case DOWN -> {
                        fault(x, ledger, 503, f.retryAfterSeconds());
                        return;
                    }
                    case UNAUTHORIZED -> {
                        fault(x, ledger, 401, null);
                        return;
                    }
                    case THROTTLE -> {
                        fault(x, ledger, 429, f.retryAfterSeconds() == null ? 1 : f.retryAfterSeconds());
                        return;
                    }
                    case SLOW -> sleep(f.latencyMs());
                    case ERROR -> {
                        sleep(f.latencyMs());
                        if (ThreadLocalRandom.current().nextDouble() < f.errorRate()) {
                            fault(x, ledger, 500, null);
                            return;
                        }
                    }
                    default -> {
                    }
                }
                handler.handle(x, body);
            } catch (IOException | RuntimeException e) {
                log.debug("nas-sim: exchange failed: {}", e.toString());
            }
        };
    }

    private void fault(HttpExchange x, Ledger ledger, int status, Integer retryAfter) throws IOException {
        ledger.faulted.incrementAndGet();
        if (retryAfter != null) {
            x.getResponseHeaders().set("Retry-After", String.valueOf(retryAfter));
        }
        send(x, status, error("simulated " + status));
    }

    static void send(HttpExchange x, int status, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", body.length > 0 && body[0] == '<' ? "text/xml; charset=utf-8" : "application/json");
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    static byte[] error(String message) {
        return ("{\"error\":" + JSON.valueToTree(message) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] describe(Faults f) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", f.mode().name().toLowerCase(java.util.Locale.ROOT));
        m.put("errorRate", f.errorRate());
        m.put("latencyMs", f.latencyMs());
        m.put("rejectVrmPattern", f.rejectVrmPattern() == null ? null : f.rejectVrmPattern().pattern());
        m.put("badBatchVrmPattern", f.badBatchVrmPattern() == null ? null : f.badBatchVrmPattern().pattern());
        m.put("retryAfterSeconds", f.retryAfterSeconds());
        return JSON.writeValueAsBytes(m);
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
