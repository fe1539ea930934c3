package uk.anprhub.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.store.QuarantineStore;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code anpr_quarantine_held{reason}}: rows held in the quarantine now, by reason, counted from the store
 * periodically (a scrape never queries the database). Known reasons are shown at 0 from the start.
 */
public final class QuarantineHeld {

    private static final Logger log = LoggerFactory.getLogger(QuarantineHeld.class);

    private final QuarantineStore store;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> held = new ConcurrentHashMap<>();

    public QuarantineHeld(QuarantineStore store, MeterRegistry meters) {
        this.store = store;
        this.meters = meters;
        IngestMetrics.KNOWN_REASONS.forEach(this::gauge);
    }

    /** Counts again; a reason no longer held drops to 0. A store that cannot answer keeps the last figures. */
    public void refresh() {
        Map<String, Long> now;
        try {
            now = store.heldByReason();
        } catch (org.springframework.dao.DataAccessException e) {
            log.warn("Quarantine counts not refreshed: store unavailable ({})", e.getClass().getSimpleName());
            return;
        }
        held.forEach((reason, value) -> value.set(now.getOrDefault(reason, 0L)));
        now.forEach((reason, n) -> gauge(reason).set(n));
    }

    /** The figures as last counted, by reason (zeros left out). */
    public Map<String, Long> byReason() {
        Map<String, Long> out = new TreeMap<>();
        held.forEach((reason, value) -> {
            if (value.get() > 0) {
                out.put(reason, value.get());
            }
        });
        return out;
    }

    private AtomicLong gauge(String reason) {
        return held.computeIfAbsent(reason, r -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("anpr_quarantine_held", value, AtomicLong::get)
                    .description("Quarantine rows held now (not recovered), by reason; counted periodically")
                    .tag("reason", r).register(meters);
            return value;
        });
    }
}
