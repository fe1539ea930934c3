package uk.anprhub.ingest;

import java.util.Map;

/** The quarantine as JMX shows it ({@code uk.anprhub:type=Quarantine}, e.g. in Hawtio). */
public interface QuarantineConsole {

    /** Rows held now by reason (as of the last count, at most a refresh interval old). */
    Map<String, Long> getCountsByReason();

    /** Rows held now. */
    long getTotal();

    /**
     * Re-runs the quarantined messages of a reason ("" or "*": every reason) through the current connectors and
     * registry, at most 10,000 per call. Audited; {@code why} at least 5 characters. Returns the totals.
     */
    String reprocess(String reason, String why);

    /** Reads the connector and mapping files again. Audited; {@code why} at least 5 characters. */
    String reloadConnectors(String why);
}
