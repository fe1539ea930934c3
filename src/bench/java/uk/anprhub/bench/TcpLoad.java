package uk.anprhub.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load generator for a TCP feed of canonical reads in line framing whose ack is {@code "{stored} {duplicates}\n"}
 * (bench/tcp.sh starts the hub so). JDK only; a plain main, never run by the test suite.
 *
 * <p>Usage: {@code TcpLoad HOST PORT CONNECTIONS SECONDS [READS_PER_FRAME] [WINDOW]}: CONNECTIONS cameras, each
 * keeping WINDOW frames sent but not yet acknowledged (1 = send, wait for the ack, send the next), each frame one
 * read or a JSON array of READS_PER_FRAME reads. After a 5 s warm-up it counts, for SECONDS, the reads the acks
 * say were stored, and prints reads/s into the store and ack latency percentiles.
 */
public final class TcpLoad {

    private static final String L = "ABCDEFGHJKLMNOPRSTUVWXYZ";

    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        int connections = Integer.parseInt(a[2]);
        int seconds = Integer.parseInt(a[3]);
        int perFrame = a.length > 4 ? Integer.parseInt(a[4]) : 1;
        int window = a.length > 5 ? Integer.parseInt(a[5]) : 1;
        long warmupEnd = System.nanoTime() + 5_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        LongAdder stored = new LongAdder();
        LongAdder duplicates = new LongAdder();
        LongAdder frames = new LongAdder();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long[] lat = new long[1_000_001];
            latencies.add(lat);
            Thread t = new Thread(() -> {
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(host, port), 5000);
                    s.setSoTimeout(60_000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    BlockingQueue<Long> sent = new ArrayBlockingQueue<>(window);
                    int n = 0;
                    boolean sending = true;
                    while (sending || !sent.isEmpty()) {
                        while (sending && sent.remainingCapacity() > 0) {
                            if (System.nanoTime() >= end) {
                                sending = false;
                                break;
                            }
                            out.write(frame(perFrame));
                            out.flush();
                            sent.add(System.nanoTime());
                        }
                        if (sent.isEmpty()) {
                            break;
                        }
                        String ack = line(in);
                        long t1 = System.nanoTime();
                        long t0 = sent.remove();
                        if (t0 >= warmupEnd && t1 <= end) {
                            String[] f = ack.trim().split(" ");
                            stored.add(Long.parseLong(f[0]));
                            duplicates.add(Long.parseLong(f[1]));
                            frames.increment();
                            if (n < lat.length - 1) lat[n++] = t1 - t0;
                        }
                    }
                    lat[lat.length - 1] = n;
                } catch (IOException e) {
                    System.err.println("connection failed: " + e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        List<Long> all = new ArrayList<>();
        for (long[] lat : latencies) for (int i = 0; i < lat[lat.length - 1]; i++) all.add(lat[i]);
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("connections=%d readsPerFrame=%d window=%d seconds=%d -> %.0f reads/s stored (%.0f frames/s acked, "
                        + "%d duplicates); ack latency ms p50=%.1f p99=%.1f max=%.1f%n",
                connections, perFrame, window, seconds, stored.sum() / (double) seconds, frames.sum() / (double) seconds,
                duplicates.sum(), pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 1.0));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("closed by the hub");
            b.append((char) c);
        }
        return b.toString();
    }

    static double pct(long[] s, double p) {
        return s.length == 0 ? 0 : s[Math.min(s.length - 1, (int) Math.ceil(p * s.length) - 1)] / 1e6;
    }

    static byte[] frame(int reads) {
        if (reads == 1) {
            return (read() + "\n").getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < reads; i++) b.append(i == 0 ? "" : ",").append(read());
        return b.append("]\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A canonical read on a demo camera, a random 8-character plate, captured within the last hour. */
    static String read() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder p = new StringBuilder();
        p.append(L.charAt(r.nextInt(24))).append(L.charAt(r.nextInt(24))).append(r.nextInt(10)).append(r.nextInt(10))
                .append(' ').append(L.charAt(r.nextInt(24))).append(L.charAt(r.nextInt(24))).append(L.charAt(r.nextInt(24)))
                .append(r.nextInt(10));
        Instant t = Instant.now().minusMillis(r.nextInt(3_600_000)).truncatedTo(ChronoUnit.MILLIS);
        return "{\"vrm\":\"" + p + "\",\"captureTimeUtc\":\"" + t + "\",\"cameraId\":\"MPS-DEMO-000" + (1 + r.nextInt(9))
                + "\",\"confidencePct\":" + (60 + r.nextInt(40)) + ",\"direction\":\"TOWARDS\",\"countryCode\":\"GBR\"}";
    }
}
