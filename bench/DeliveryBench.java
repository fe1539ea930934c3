// Delivery measurements against a running hub and nas-sim; JDK only: java bench/DeliveryBench.java ... (bench/delivery.sh runs it)
// Usage: java bench/DeliveryBench.java HUB_URL SIM_URL USER PASSWORD BACKLOG_READS LIVE_READS
//  0. warm-up: 20,000 reads stored and delivered (JIT of hub and simulator), not measured
//  1. outage + backlog drain: simulator down (503), stores BACKLOG_READS reads, simulator up; times the first
//     delivery (the circuit breaker's next probe) and the drain of the whole backlog
//  2. live: stores LIVE_READS reads as fast as 8 clients can while delivery runs; times until NAS has them all
//  3. drain under live ingest: as 1, and while the backlog drains one client keeps storing batches of 500 at about
//     LIVE_RATE reads/s (env, default 1000); times until NAS has the backlog and every live read stored meanwhile
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class DeliveryBench {
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static String hub, sim, auth;

    public static void main(String[] a) throws Exception {
        hub = a[0];
        sim = a[1];
        auth = "Basic " + Base64.getEncoder().encodeToString((a[2] + ":" + a[3]).getBytes());
        int backlog = Integer.parseInt(a[4]);
        int live = Integer.parseInt(a[5]);

        // 0. warm-up
        long warm = ingest(20_000);
        waitFor(() -> field(get(sim + "/_stats"), "uniqueReadIds") >= warm, 600);

        // 1. outage, then backlog drain
        post(sim + "/_reset");
        post(sim + "/_faults", "{\"mode\":\"down\"}");
        long t0 = System.nanoTime();
        long stored = ingest(backlog);
        double ingestS = (System.nanoTime() - t0) / 1e9;
        waitFor(() -> field(ops("GET", "/api/v1/delivery/targets/nas"), "backlog") >= stored, 60);
        String during = get(sim + "/_stats");
        post(sim + "/_reset");
        post(sim + "/_faults", "{\"mode\":\"up\"}");
        long up = System.nanoTime();
        waitFor(() -> field(get(sim + "/_stats"), "uniqueReadIds") > 0, 600);
        long first = System.nanoTime();
        waitFor(() -> field(get(sim + "/_stats"), "uniqueReadIds") >= stored, 1800);
        double drainS = (System.nanoTime() - first) / 1e9;
        System.out.printf("outage: %d reads stored in %.1f s (%.0f reads/s) while NAS answered 503 (%d requests reached it: "
                + "breaker probes); after NAS came back the first read arrived after %.1f s (next probe), the backlog drained in "
                + "%.1f s -> %.0f reads/s; dead letters %d; sim %s%n", stored, ingestS, stored / ingestS, field(during, "requests"),
                (first - up) / 1e9, drainS, stored / drainS, field(ops("GET", "/api/v1/delivery/targets/nas"), "deadLetters"),
                get(sim + "/_stats"));

        // 2. live: ingest and delivery at once
        post(sim + "/_reset");
        long l0 = System.nanoTime();
        long liveStored = ingest(live);
        double liveIngestS = (System.nanoTime() - l0) / 1e9;
        waitFor(() -> field(get(sim + "/_stats"), "uniqueReadIds") >= liveStored, 1800);
        double liveS = (System.nanoTime() - l0) / 1e9;
        System.out.printf("live: %d reads stored in %.1f s (%.0f reads/s) while delivering; all at the simulator after %.1f s"
                + " -> %.0f reads/s end to end; sim %s%n", liveStored, liveIngestS, liveStored / liveIngestS, liveS,
                liveStored / liveS, get(sim + "/_stats"));

        // 3. a backlog drained while live reads keep arriving
        drainUnderIngest(backlog, Integer.parseInt(System.getenv().getOrDefault("LIVE_RATE", "1000")));
    }

    /** Phase 3: the backlog drains while live reads keep arriving (issue 17: the drain goal holds with live ingest). */
    static void drainUnderIngest(int backlog, int liveRate) throws Exception {
        post(sim + "/_reset");
        post(sim + "/_faults", "{\"mode\":\"down\"}");
        long stored = ingest(backlog);
        waitFor(() -> field(ops("GET", "/api/v1/delivery/targets/nas"), "backlog") >= stored, 60);
        post(sim + "/_reset");
        AtomicLong live = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean going = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread feeder = new Thread(() -> {
            long pause = Math.max(1, 500_000L / Math.max(1, liveRate)); // ms between batches of 500
            try {
                while (going.get()) {
                    long t = System.currentTimeMillis();
                    live.addAndGet(ingest(500, 1));
                    Thread.sleep(Math.max(0, pause - (System.currentTimeMillis() - t)));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        post(sim + "/_faults", "{\"mode\":\"up\"}");
        long fed = System.nanoTime();
        feeder.start();
        waitFor(() -> field(get(sim + "/_stats"), "uniqueReadIds") > 0, 600);
        long first = System.nanoTime();
        Instant from = Instant.now();
        waitFor(() -> field(get(sim + "/_stats"), "uniqueReadIds") >= stored + live.get(), 1800);
        double s = (System.nanoTime() - first) / 1e9;
        Instant to = Instant.now();
        long atNas = field(get(sim + "/_stats"), "uniqueReadIds");
        long liveThen = live.get();
        going.set(false);
        feeder.join();
        // live reads stored while the breaker still waited (its wait grew during the outage) join the backlog
        System.out.printf("drain under live ingest: backlog %d reads + %d live reads stored since NAS came back (%.0f reads/s)"
                + " all at the simulator %.1f s after the first arrived -> %.0f reads/s delivered (%s to %s, for HotSpots); sim %s%n",
                stored, liveThen, liveThen / ((System.nanoTime() - fed) / 1e9), s, atNas / s, from, to, get(sim + "/_stats"));
    }

    /** Stores n reads through POST /ingest/nas-json, 8 clients, 500 reads per request; returns how many were stored. */
    static long ingest(int n) throws Exception {
        return ingest(n, 8);
    }

    static long ingest(int n, int clients) throws Exception {
        AtomicLong left = new AtomicLong(n);
        AtomicLong stored = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                long take;
                while ((take = Math.min(500, left.getAndAdd(-500))) > 0) {
                    String body = array((int) take);
                    for (int attempt = 0; ; attempt++) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub + "/ingest/nas-json"))
                                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                stored.addAndGet(field(r.body(), "stored"));
                                break;
                            }
                            Thread.sleep(200); // 503: the store is behind
                        } catch (Exception e) {
                            if (attempt > 20) throw new IllegalStateException(e);
                        }
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        return stored.get();
    }

    interface Check { boolean ok() throws Exception; }

    static void waitFor(Check c, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > end) throw new IllegalStateException("timed out");
            Thread.sleep(100);
        }
    }

    static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static String ops(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(hub + path)).header("Authorization", auth)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static void post(String url) throws Exception {
        post(url, "");
    }

    static void post(String url, String json) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    static final String L = "ABCDEFGHJKLMNOPRSTUVWXYZ";

    static String array(int n) {
        StringBuilder b = new StringBuilder("[");
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append(',');
            StringBuilder p = new StringBuilder();
            p.append(L.charAt(r.nextInt(24))).append(L.charAt(r.nextInt(24))).append(r.nextInt(10)).append(r.nextInt(10))
                    .append(' ').append(L.charAt(r.nextInt(24))).append(L.charAt(r.nextInt(24))).append(L.charAt(r.nextInt(24)))
                    .append(r.nextInt(10));
            Instant t = Instant.now().minusMillis(r.nextLong(6 * 3600_000L)).truncatedTo(ChronoUnit.MILLIS);
            b.append("{\"vrm\":\"").append(p).append("\",\"captureTimeUtc\":\"").append(t)
                    .append("\",\"cameraId\":\"MPS-DEMO-000").append(1 + r.nextInt(9)).append("\",\"confidencePct\":")
                    .append(60 + r.nextInt(40)).append(",\"direction\":\"TOWARDS\",\"countryCode\":\"GBR\"}");
        }
        return b.append(']').toString();
    }
}
