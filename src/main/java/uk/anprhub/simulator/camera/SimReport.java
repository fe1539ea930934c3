package uk.anprhub.simulator.camera;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts and acknowledgement latencies of the measured period of a run. {@code storedReads}/{@code duplicateReads}
 * are -1 when the transport's acknowledgement does not say (FTP, MQTT, TCP without a counting ack).
 */
record SimReport(String transport, String vendor, long sentRequests, long acknowledgedReads, long storedReads,
                 long duplicateReads, long refusedRequests, long pushedBackRequests, long failedRequests,
                 Map<String, Long> statuses, double seconds, long[] latenciesNanos, List<Second> timeline) {

    /** One second of the measured period: reads acknowledged and requests answered in it, their latency. */
    record Second(int second, long acknowledgedReads, long requests, double p50Ms, double p99Ms) {
    }

    SimReport {
        latenciesNanos = latenciesNanos.clone();
        Arrays.sort(latenciesNanos);
    }

    double readsPerSecond() {
        return seconds <= 0 ? 0 : acknowledgedReads / seconds;
    }

    double percentileMs(double p) {
        return percentileMs(latenciesNanos, p);
    }

    static double percentileMs(long[] nanos, double p) {
        if (nanos.length == 0) {
            return 0;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int i = Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    String summary() {
        return String.format("%s %s: sent %d requests in %.1f s: %d reads acknowledged (%.0f reads/s; %s stored, %s duplicates), "
                        + "%d refused, %d pushed back, %d failed; statuses %s; ack latency ms p50 %.1f p90 %.1f p99 %.1f max %.1f",
                transport, vendor, sentRequests, seconds, acknowledgedReads, readsPerSecond(), count(storedReads),
                count(duplicateReads), refusedRequests, pushedBackRequests, failedRequests, statuses, percentileMs(0.50),
                percentileMs(0.90), percentileMs(0.99), percentileMs(1.0));
    }

    private static String count(long n) {
        return n < 0 ? "?" : Long.toString(n);
    }

    /** The machine-readable report for the benchmark orchestrator (keys fixed by the benchmark issue). */
    void writeJson(Path file) throws IOException {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("transport", transport);
        j.put("vendor", vendor);
        j.put("sentRequests", sentRequests);
        j.put("acknowledgedReads", acknowledgedReads);
        j.put("storedReads", storedReads);
        j.put("duplicateReads", duplicateReads);
        j.put("refusedRequests", refusedRequests);
        j.put("pushedBackRequests", pushedBackRequests);
        j.put("failedRequests", failedRequests);
        j.put("seconds", seconds);
        j.put("readsPerSecond", readsPerSecond());
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", percentileMs(0.50));
        lat.put("p90", percentileMs(0.90));
        lat.put("p99", percentileMs(0.99));
        lat.put("max", percentileMs(1.0));
        j.put("latencyMs", lat);
        j.put("statuses", statuses);
        j.put("timeline", timeline.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("second", s.second());
            m.put("acknowledgedReads", s.acknowledgedReads());
            m.put("requests", s.requests());
            m.put("p50Ms", s.p50Ms());
            m.put("p99Ms", s.p99Ms());
            return m;
        }).toList());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), j);
    }
}
