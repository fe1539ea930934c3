package uk.anprhub.ingest;

import uk.anprhub.audit.AuditLog;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.message.RawMessage;
import uk.anprhub.store.QuarantineStore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What ops do with refused input, for the API and the JMX console alike: list the quarantine, fetch a payload,
 * re-run quarantined messages after a fix, reload the connectors (the camera registry: {@link CameraReloads}). Every operation is
 * audited here, where it happens (a listing and a payload are disclosures too); the callers only map it to HTTP or JMX.
 */
public final class QuarantineService {

    /** The most rows one listing returns. */
    static final int MAX_LIST = 1000;

    private final QuarantineStore quarantine;
    private final Reprocessing reprocessing;
    private final QuarantineHeld held;
    private final ConnectorCatalog connectors;
    private final AuditLog audit;

    public QuarantineService(QuarantineStore quarantine, Reprocessing reprocessing, QuarantineHeld held,
                             ConnectorCatalog connectors, AuditLog audit) {
        this.quarantine = quarantine;
        this.reprocessing = reprocessing;
        this.held = held;
        this.connectors = connectors;
        this.audit = audit;
    }

    /** Rows by filter (null: any), newest first, at most {@link #MAX_LIST}. File names and reasons can hold plates. */
    public List<QuarantineStore.Row> list(String reason, String feed, String status, int limit) {
        List<QuarantineStore.Row> rows = quarantine.list(reason, feed, status, Math.min(limit, MAX_LIST));
        Map<String, Object> detail = new HashMap<>();
        detail.put("reason", reason == null ? "*" : reason);
        detail.put("feed", feed == null ? "*" : feed);
        detail.put("status", status);
        detail.put("rows", rows.size());
        audit.record("quarantine.list", detail);
        return rows;
    }

    /** The message as received: personal data, so {@code why} is required and the fetch audited. */
    public RawMessage payload(long id, String why) {
        String reason = AuditLog.requireWhy(why);
        RawMessage message = quarantine.message(id);
        audit.record("quarantine.payload", Map.of("id", id, "why", reason));
        return message;
    }

    /**
     * Re-runs the messages matching the filters after {@code after}, at most {@code limit} (1 to
     * {@link Reprocessing#MAX_PER_CALL}); the held gauge is recounted and the call audited with its totals.
     */
    public Reprocessing.Totals reprocess(String reason, String feed, long after, int limit, String why) {
        String w = AuditLog.requireWhy(why);
        if (limit < 1 || limit > Reprocessing.MAX_PER_CALL) {
            throw new IllegalArgumentException("'limit' must be 1 to " + Reprocessing.MAX_PER_CALL + "; continue with 'after'");
        }
        Reprocessing.Totals t = reprocessing.reprocess(reason, feed, after, limit);
        held.refresh();
        Map<String, Object> detail = new HashMap<>(t.fields());
        detail.put("reason", reason == null ? "*" : reason);
        detail.put("feed", feed == null ? "*" : feed);
        detail.put("after", after);
        detail.put("why", w);
        audit.record("quarantine.reprocess", detail);
        return t;
    }

    /** The console's re-run: every feed, from the start, as many as one call may; audited as {@code actor} via JMX. */
    public Reprocessing.Totals reprocessFromConsole(String reason, String why, String actor) {
        String w = AuditLog.requireWhy(why);
        Reprocessing.Totals t = reprocessing.reprocess(reason, null, 0, Reprocessing.MAX_PER_CALL);
        Map<String, Object> detail = new HashMap<>();
        detail.put("reason", reason == null ? "*" : reason);
        detail.put("why", w);
        detail.put("totals", t.text());
        detail.put("via", "jmx");
        audit.record(actor, "quarantine.reprocess", detail);
        held.refresh();
        return t;
    }

    /** Reads the connector and mapping files again (as the watcher does every few seconds); a broken one keeps its previous version. */
    public ConnectorCatalog.Reloaded reloadConnectors(String why) {
        String w = AuditLog.requireWhy(why);
        ConnectorCatalog.Reloaded r = connectors.reload();
        audit.record("connectors.reload", Map.of("loaded", r.loaded(), "changed", r.changed(), "broken", r.broken().keySet(), "why", w));
        return r;
    }

    /** {@link #reloadConnectors(String)} from the console, audited as {@code actor} via JMX. */
    public ConnectorCatalog.Reloaded reloadConnectorsFromConsole(String why, String actor) {
        String w = AuditLog.requireWhy(why);
        ConnectorCatalog.Reloaded r = connectors.reload();
        audit.record(actor, "connectors.reload", Map.of("loaded", r.loaded(), "changed", r.changed(),
                "broken", r.broken().keySet(), "why", w, "via", "jmx"));
        return r;
    }
}
