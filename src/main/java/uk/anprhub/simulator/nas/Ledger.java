package uk.anprhub.simulator.nas;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What one simulated service has received: the keys it accepted (read ids, or BOF2 capture keys) and counters. */
final class Ledger {

    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong acceptedCount = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong faulted = new AtomicLong();

    enum Verdict { ACCEPTED, DUPLICATE, REJECTED }

    Verdict accept(String key) {
        if (accepted.add(key)) {
            acceptedCount.incrementAndGet();
            return Verdict.ACCEPTED;
        }
        duplicates.incrementAndGet();
        return Verdict.DUPLICATE;
    }

    Verdict reject() {
        rejected.incrementAndGet();
        return Verdict.REJECTED;
    }

    Set<String> acceptedKeys() {
        return Set.copyOf(accepted);
    }

    /** The contract's {@code _stats} keys (+ {@code faultedRequests}, an addition). */
    Map<String, Long> stats() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("accepted", acceptedCount.get());
        m.put("duplicates", duplicates.get());
        m.put("rejected", rejected.get());
        m.put("uniqueReadIds", (long) accepted.size());
        m.put("requests", requests.get());
        m.put("faultedRequests", faulted.get());
        return m;
    }

    void reset() {
        accepted.clear();
        acceptedCount.set(0);
        duplicates.set(0);
        rejected.set(0);
        requests.set(0);
        faulted.set(0);
    }
}
