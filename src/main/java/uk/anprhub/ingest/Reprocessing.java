package uk.anprhub.ingest;

import uk.anprhub.store.QuarantineStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Re-runs quarantined messages through the current connectors and camera registry, a page at a time in message id
 * order: at most {@link #MAX_PER_CALL} messages per call, with totals and a cursor ({@code next}) to continue, so a
 * large quarantine is never cut off silently. A message that fails again keeps its rows, with the new reason and
 * one more attempt counted.
 */
public final class Reprocessing {

    /** The most messages one call re-runs; {@link #DEFAULT_LIMIT} when the caller names no limit. */
    public static final int MAX_PER_CALL = 10_000;
    public static final int DEFAULT_LIMIT = 1_000;

    private final QuarantineStore quarantine;
    private final IngestService ingest;

    public Reprocessing(QuarantineStore quarantine, IngestService ingest) {
        this.quarantine = quarantine;
        this.ingest = ingest;
    }

    /**
     * What one call did. {@code matched}: messages matching the filters after the cursor when the call began;
     * {@code reprocessed}: re-run by this call; {@code recovered}: of those, now fully stored; {@code stored}: reads
     * committed; {@code stillFailing}: re-run and refused again (by new reason in {@code stillFailingByReason});
     * {@code remaining}: matching messages after the last one re-run, not yet tried; {@code next}: pass it as
     * {@code after} to continue (null when nothing remains).
     */
    public record Totals(long matched, int reprocessed, int recovered, int stored, int stillFailing,
                         Map<String, Integer> stillFailingByReason, long remaining, Long next, int limit) {

        public boolean complete() {
            return remaining == 0;
        }

        /** One line for a log, an audit row or a JMX answer. */
        public String text() {
            return "matched " + matched + ", reprocessed " + reprocessed + ", recovered " + recovered + ", reads stored "
                    + stored + ", still failing " + stillFailing + (stillFailingByReason.isEmpty() ? "" : " " + stillFailingByReason)
                    + ", remaining " + remaining + (next == null ? "" : " (continue after " + next + ")");
        }
    }

    public Totals reprocess(String reason, String feed, long after, int limit) {
        int page = Math.max(1, Math.min(limit, MAX_PER_CALL));
        long matched = quarantine.countMessages(reason, feed, after);
        List<Long> messages = quarantine.messagesToReprocess(reason, feed, after, page);
        int recovered = 0;
        int stored = 0;
        int failing = 0;
        Map<String, Integer> byReason = new TreeMap<>();
        for (long id : messages) {
            IngestResult r = ingest.ingest(quarantine.message(id), true);
            int reads = r.stored() == null ? 0 : r.stored();
            stored += reads;
            if (r.acknowledged() && r.quarantined() == null) {
                quarantine.markRecovered(id, reads);
                recovered++;
            } else {
                failing++;
                List<QuarantineStore.Failure> failures = new ArrayList<>();
                if (r.quarantined() != null) {
                    r.quarantined().forEach(p -> failures.add(new QuarantineStore.Failure(p.index(), p.reason(), p.detail())));
                } else if (r.error() != null && r.status() < 500) {
                    failures.add(new QuarantineStore.Failure(null, r.error(), r.detail()));
                } // 503: the store or connector is unavailable; the old reason still holds, the attempt is counted
                quarantine.markStillFailing(id, failures);
                byReason.merge(r.error() == null ? "partly-invalid" : r.error(), 1, Integer::sum);
            }
        }
        Long last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        long remaining = last == null ? 0 : quarantine.countMessages(reason, feed, last);
        return new Totals(matched, messages.size(), recovered, stored, failing, byReason, remaining,
                remaining > 0 ? last : null, page);
    }
}
