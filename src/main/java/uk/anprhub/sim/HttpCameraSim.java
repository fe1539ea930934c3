package uk.anprhub.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cameras over HTTP: {@code clients} threads each post canonical reads and wait for the answer, as a camera
 * does. With a rate, requests are paced per client; without, each client sends as fast as it is acknowledged.
 */
final class HttpCameraSim {

    private static final String LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimSettings s;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    HttpCameraSim(SimSettings settings) {
        this.s = settings;
    }

    SimReport run() throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + s.warmup().toNanos();
        long end = measureFrom + s.duration().toNanos();
        AtomicLong budget = new AtomicLong(s.count());
        LongAdder sent = new LongAdder(), acked = new LongAdder(), stored = new LongAdder(), duplicates = new LongAdder(),
                refused = new LongAdder(), pushedBack = new LongAdder(), failed = new LongAdder();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<long[]> latencies = new ArrayList<>();
        List<int[]> latencyCounts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long intervalNanos = s.rate() > 0 ? (long) (1e9 * s.batch() * s.clients() / s.rate()) : 0;
        for (int c = 0; c < s.clients(); c++) {
            long[] lat = new long[1 << 20];
            int[] n = new int[1];
            latencies.add(lat);
            latencyCounts.add(n);
            Thread t = new Thread(() -> {
                long next = System.nanoTime();
                String previous = null;
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (System.nanoTime() < end && budget.getAndAdd(-s.batch()) > 0) {
                    if (intervalNanos > 0) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            sleepNanos(wait);
                        }
                        next += intervalNanos;
                    }
                    String body = previous != null && r.nextDouble() < s.repeatShare() ? previous
                            : r.nextDouble() < s.badShare() ? bad() : body();
                    previous = body;
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(s.endpoint())
                                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        if (t0 < measureFrom) {
                            continue;
                        }
                        sent.increment();
                        statuses.computeIfAbsent(resp.statusCode(), k -> new LongAdder()).increment();
                        int code = resp.statusCode();
                        if (code / 100 == 2) {
                            JsonNode a = JSON.readTree(resp.body());
                            int st = a.path("stored").asInt(), du = a.path("duplicates").asInt();
                            acked.add(st + du);
                            stored.add(st);
                            duplicates.add(du);
                            if (n[0] < lat.length) {
                                lat[n[0]++] = t1 - t0;
                            }
                        } else if (code == 503) {
                            pushedBack.increment();
                            sleepNanos(Duration.ofSeconds(resp.headers().firstValueAsLong("Retry-After").orElse(1)).toNanos());
                        } else {
                            refused.increment();
                        }
                    } catch (Exception e) {
                        if (t0 >= measureFrom) {
                            sent.increment();
                            failed.increment();
                        }
                        sleepNanos(100_000_000L);
                    }
                }
            }, "camera-sim-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (Math.min(System.nanoTime(), end) - measureFrom) / 1e9;
        int total = latencyCounts.stream().mapToInt(a -> a[0]).sum();
        long[] all = new long[total];
        int k = 0;
        for (int i = 0; i < latencies.size(); i++) {
            System.arraycopy(latencies.get(i), 0, all, k, latencyCounts.get(i)[0]);
            k += latencyCounts.get(i)[0];
        }
        Map<Integer, Long> codes = new java.util.HashMap<>();
        statuses.forEach((code, n) -> codes.put(code, n.sum()));
        return new SimReport(sent.sum(), acked.sum(), stored.sum(), duplicates.sum(), refused.sum(), pushedBack.sum(),
                failed.sum(), codes, seconds, all);
    }

    private String body() {
        if (s.batch() == 1) {
            return read(Instant.now());
        }
        StringBuilder b = new StringBuilder(s.batch() * 200).append('[');
        for (int i = 0; i < s.batch(); i++) {
            b.append(i == 0 ? "" : ",").append(read(Instant.now()));
        }
        return b.append(']').toString();
    }

    /** A read the hub must refuse: a capture time two hours in the future. */
    private String bad() {
        return read(Instant.now().plus(Duration.ofHours(2)));
    }

    private String read(Instant around) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder plate = new StringBuilder(8);
        plate.append(LETTERS.charAt(r.nextInt(24))).append(LETTERS.charAt(r.nextInt(24))).append(r.nextInt(10))
                .append(r.nextInt(10)).append(' ').append(LETTERS.charAt(r.nextInt(24)))
                .append(LETTERS.charAt(r.nextInt(24))).append(LETTERS.charAt(r.nextInt(24)));
        Instant t = around.minusMillis(r.nextInt(2_000)).truncatedTo(ChronoUnit.MILLIS);
        return "{\"vrm\":\"" + plate + "\",\"captureTimeUtc\":\"" + t + "\",\"cameraId\":\"MPS-DEMO-"
                + String.format("%04d", 1 + r.nextInt(s.cameras())) + "\",\"confidencePct\":" + (60 + r.nextInt(40))
                + ",\"direction\":\"" + (r.nextBoolean() ? "TOWARDS" : "AWAY") + "\",\"countryCode\":\"GBR\"}";
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
