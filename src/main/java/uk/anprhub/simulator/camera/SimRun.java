package uk.anprhub.simulator.camera;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shared loop, whatever the transport: {@code clients} threads, each with its own connection, send a message
 * and wait for its acknowledgement, as a camera does. With a rate, messages are paced per client; without, each
 * client sends as fast as it is acknowledged. Stops at the end of the duration or when {@code count} reads were
 * sent. A share of messages is the previous one again (a camera retrying), a share is a bad payload. Only messages
 * sent after the warm-up are counted.
 */
final class SimRun {

    private final SimSettings s;
    private final MessageSource source;
    private final Sender.Factory senders;

    SimRun(SimSettings settings, MessageSource source, Sender.Factory senders) {
        this.s = settings;
        this.source = source;
        this.senders = senders;
    }

    /** Per client, per measured request: completion second, acknowledged reads, latency (-1: not acknowledged). */
    private static final class Samples {
        int n;
        int[] second = new int[1024];
        int[] reads = new int[1024];
        long[] latency = new long[1024];

        void add(int sec, int r, long lat) {
            if (n == second.length) {
                second = Arrays.copyOf(second, n * 2);
                reads = Arrays.copyOf(reads, n * 2);
                latency = Arrays.copyOf(latency, n * 2);
            }
            second[n] = sec;
            reads[n] = r;
            latency[n++] = lat;
        }
    }

    SimReport run(String transport, String vendor) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + s.warmup().toNanos();
        long end = measureFrom + s.duration().toNanos();
        AtomicLong budget = new AtomicLong(s.count());
        LongAdder sent = new LongAdder(), acked = new LongAdder(), stored = new LongAdder(), duplicates = new LongAdder(),
                refused = new LongAdder(), pushedBack = new LongAdder(), failed = new LongAdder();
        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        List<Samples> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long intervalNanos = s.rate() > 0 ? (long) (1e9 * source.readsPerMessage() * s.clients() / s.rate()) : 0;
        for (int c = 0; c < s.clients(); c++) {
            Samples mine = new Samples();
            samples.add(mine);
            Thread t = new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                long next = System.nanoTime();
                Message previous = null;
                Sender sender = null;
                try {
                    while (System.nanoTime() < end) {
                        Message m = previous != null && r.nextDouble() < s.repeatShare() ? previous
                                : r.nextDouble() < s.badShare() ? source.bad(r) : source.next(r);
                        if (budget.getAndAdd(-Math.max(1, m.reads())) <= 0) {
                            break;
                        }
                        previous = m;
                        if (intervalNanos > 0) {
                            sleepNanos(next - System.nanoTime());
                            next += intervalNanos;
                        }
                        long t0 = System.nanoTime();
                        boolean measured = t0 >= measureFrom;
                        try {
                            if (sender == null) {
                                sender = senders.open();
                            }
                            Sender.Ack a = sender.send(m);
                            long t1 = System.nanoTime();
                            if (!measured) {
                                continue;
                            }
                            sent.increment();
                            statuses.computeIfAbsent(a.status(), k -> new LongAdder()).increment();
                            int sec = (int) ((t1 - measureFrom) / 1_000_000_000L);
                            switch (a.outcome()) {
                                case ACKNOWLEDGED -> {
                                    acked.add(a.acknowledged());
                                    stored.add(Math.max(0, a.stored()));
                                    duplicates.add(a.duplicates());
                                    mine.add(sec, (int) a.acknowledged(), t1 - t0);
                                }
                                case REFUSED -> {
                                    refused.increment();
                                    mine.add(sec, 0, -1);
                                }
                                case PUSHED_BACK -> {
                                    pushedBack.increment();
                                    mine.add(sec, 0, -1);
                                }
                            }
                            sleepNanos(a.retryAfterMs() * 1_000_000L);
                        } catch (Exception e) {
                            if (measured) {
                                sent.increment();
                                failed.increment();
                                statuses.computeIfAbsent("failed", k -> new LongAdder()).increment();
                            }
                            if (sender != null) {
                                sender.close();
                                sender = null; // a new connection for the next message, as a camera would
                            }
                            sleepNanos(100_000_000L);
                        }
                    }
                } finally {
                    if (sender != null) {
                        sender.close();
                    }
                }
            }, "camera-sim-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = Math.max(0, Math.min(System.nanoTime(), end) - measureFrom) / 1e9;
        Map<String, Long> codes = new TreeMap<>();
        statuses.forEach((code, n) -> codes.put(code, n.sum()));
        boolean countsStored = transport.equals("http") || stored.sum() + duplicates.sum() > 0;
        return new SimReport(transport, vendor, sent.sum(), acked.sum(), countsStored ? stored.sum() : -1,
                countsStored ? duplicates.sum() : -1, refused.sum(), pushedBack.sum(), failed.sum(), codes, seconds,
                latencies(samples), timeline(samples, (int) Math.floor(seconds)));
    }

    private static long[] latencies(List<Samples> samples) {
        return samples.stream().flatMapToLong(x -> Arrays.stream(x.latency, 0, x.n)).filter(l -> l >= 0).toArray();
    }

    /** One entry per whole second of the measured period, by completion time. */
    private static List<SimReport.Second> timeline(List<Samples> samples, int seconds) {
        List<SimReport.Second> out = new ArrayList<>(seconds);
        long[] reads = new long[seconds], requests = new long[seconds];
        List<List<Long>> lat = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            lat.add(new ArrayList<>());
        }
        for (Samples x : samples) {
            for (int i = 0; i < x.n; i++) {
                int sec = x.second[i];
                if (sec >= 0 && sec < seconds) {
                    reads[sec] += x.reads[i];
                    requests[sec]++;
                    if (x.latency[i] >= 0) {
                        lat.get(sec).add(x.latency[i]);
                    }
                }
            }
        }
        for (int i = 0; i < seconds; i++) {
            long[] l = lat.get(i).stream().mapToLong(Long::longValue).toArray();
            out.add(new SimReport.Second(i, reads[i], requests[i], SimReport.percentileMs(l, 0.50), SimReport.percentileMs(l, 0.99)));
        }
        return out;
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
