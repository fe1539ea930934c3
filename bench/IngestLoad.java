// Load generator for POST /ingest/{feed} with canonical reads; JDK only, run with: java bench/IngestLoad.java ...
// Usage: java bench/IngestLoad.java URL CLIENTS SECONDS READS_PER_REQUEST
// Prints reads/s acknowledged (2xx), status counts and acknowledgement latency percentiles.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

public class IngestLoad {
    public static void main(String[] a) throws Exception {
        URI uri = URI.create(a[0]);
        int clients = Integer.parseInt(a[1]);
        int seconds = Integer.parseInt(a[2]);
        int perRequest = Integer.parseInt(a[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        LongAdder reads = new LongAdder();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<long[]> latencies = new ArrayList<>();
        long warmupEnd = System.nanoTime() + 5_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] lat = new long[2_000_000];
            latencies.add(lat);
            AtomicLong n = new AtomicLong();
            Thread t = new Thread(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    String body = perRequest == 1 ? read() : array(perRequest);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                        long t1 = System.nanoTime();
                        if (t0 >= warmupEnd && t1 <= end) {
                            statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
                            if (r.statusCode() / 100 == 2) {
                                reads.add(perRequest);
                                if (i < lat.length) lat[i++] = t1 - t0;
                            }
                        }
                    } catch (Exception e) {
                        statuses.computeIfAbsent(-1, k -> new LongAdder()).increment();
                    }
                }
                lat[lat.length - 1] = i;
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        List<Long> all = new ArrayList<>();
        for (long[] lat : latencies) for (int i = 0; i < lat[lat.length - 1]; i++) all.add(lat[i]);
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("clients=%d readsPerRequest=%d seconds=%d -> %.0f reads/s acknowledged; statuses=%s; ack latency ms p50=%.1f p99=%.1f max=%.1f%n",
                clients, perRequest, seconds, reads.sum() / (double) seconds, statuses, pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 1.0));
    }

    static double pct(long[] s, double p) {
        return s.length == 0 ? 0 : s[Math.min(s.length - 1, (int) Math.ceil(p * s.length) - 1)] / 1e6;
    }

    static final String L = "ABCDEFGHJKLMNOPRSTUVWXYZ";

    static String read() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder p = new StringBuilder();
        p.append(L.charAt(r.nextInt(24))).append(L.charAt(r.nextInt(24))).append(r.nextInt(10)).append(r.nextInt(10))
                .append(' ').append(L.charAt(r.nextInt(24))).append(L.charAt(r.nextInt(24))).append(L.charAt(r.nextInt(24)));
        Instant t = Instant.now().minusMillis(r.nextInt(3_600_000)).truncatedTo(ChronoUnit.MILLIS);
        return "{\"vrm\":\"" + p + "\",\"captureTimeUtc\":\"" + t + "\",\"cameraId\":\"MPS-DEMO-000" + (1 + r.nextInt(9))
                + "\",\"confidencePct\":" + (60 + r.nextInt(40)) + ",\"direction\":\"TOWARDS\",\"countryCode\":\"GBR\"}";
    }

    static String array(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append(read());
        return b.append(']').toString();
    }
}
