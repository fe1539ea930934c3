package uk.anprhub.sim;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Counts and acknowledgement latencies (ms) of the measured period of a run. */
record SimReport(long sentRequests, long acknowledgedReads, long storedReads, long duplicateReads, long refusedRequests,
                 long pushedBackRequests, long failedRequests, Map<Integer, Long> statuses, double seconds, long[] latenciesNanos) {

    double readsPerSecond() {
        return seconds <= 0 ? 0 : acknowledgedReads / seconds;
    }

    double percentileMs(double p) {
        if (latenciesNanos.length == 0) {
            return 0;
        }
        long[] sorted = latenciesNanos.clone();
        Arrays.sort(sorted);
        int i = Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    String summary() {
        return String.format("sent %d requests in %.1f s: %d reads acknowledged (%.0f reads/s; %d stored, %d duplicates), "
                        + "%d refused (4xx), %d pushed back (503), %d failed; statuses %s; ack latency ms p50 %.1f p99 %.1f max %.1f",
                sentRequests, seconds, acknowledgedReads, readsPerSecond(), storedReads, duplicateReads, refusedRequests,
                pushedBackRequests, failedRequests, new TreeMap<>(statuses), percentileMs(0.50), percentileMs(0.99),
                percentileMs(1.0));
    }
}
