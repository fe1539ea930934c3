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

        /** The totals as the API answers them (and the audit row records them), in this order. */
        public Map<String, Object> fields() {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("matched", matched);
            out.put("reprocessed", reprocessed);
            out.put("recovered", recovered);
            out.put("stored", stored);
            out.put("stillFailing", stillFailing);
            out.put("stillFailingByReason", stillFailingByReason);
            out.put("remaining", remaining);
            out.put("next", next);
            out.put("limit", limit);
            out.put("complete", complete());
            return out;
        }

        /** One line for a log, an audit row or a JMX answer. */
        public String text() {
            return "matched " + matched + ", reprocessed " + reprocessed + ", recovered " + recovered + ", reads stored "
                    + stored + ", still failing " + stillFailing + (stillFailingByReason.isEmpty() ? "" : " " + stillFailingByReason)
                    + ", remaining " + remaining + (next == null ? "" : " (continue after " + next + ")");
        }
    }

    private static QuarantineStore.Failure failure(IngestOutcome.Problem p) {
        return new QuarantineStore.Failure(p.index(), p.reason().code(), p.detail());
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
            IngestOutcome r = ingest.ingest(quarantine.message(id), true);
            if (r instanceof IngestOutcome.NothingToStore
                    || r instanceof IngestOutcome.Stored s && s.quarantined().isEmpty()) {
                int reads = r instanceof IngestOutcome.Stored s ? s.stored() : 0;
                stored += reads;
                quarantine.markRecovered(id, reads);
                recovered++;
                continue;
            }
            failing++;
            List<QuarantineStore.Failure> failures = new ArrayList<>();
            String why;
            if (r instanceof IngestOutcome.Stored s) { // some reads stored now, others refused again
                stored += s.stored();
                s.quarantined().forEach(p -> failures.add(failure(p)));
                why = "partly-invalid";
            } else if (r instanceof IngestOutcome.Quarantined q) {
                q.problems().forEach(p -> failures.add(failure(p)));
                why = q.first().reason().code();
            } else if (r instanceof IngestOutcome.Refused f) { // its feed is gone: the row says so
                failures.add(new QuarantineStore.Failure(null, f.why().code(), f.detail()));
                why = f.why().code();
            } else { // unavailable: the store or connector is down; the old reason still holds, the attempt is counted
                why = ((IngestOutcome.Unavailable) r).error();
            }
            quarantine.markStillFailing(id, failures);
            byReason.merge(why, 1, Integer::sum);
        }
        Long last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        long remaining = last == null ? 0 : quarantine.countMessages(reason, feed, last);
        return new Totals(matched, messages.size(), recovered, stored, failing, byReason, remaining,
                remaining > 0 ? last : null, page);
    }
}
