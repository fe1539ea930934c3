package uk.anprhub.transport.mq;

import uk.anprhub.ingest.IngestOutcome;

/**
 * An {@link IngestOutcome} as Kafka and MQTT acknowledge it: settled messages are acknowledged (offset committed,
 * PUBACK sent); the rest stay with the broker and are retried with back-off.
 */
final class MqAcks {

    private MqAcks() {
    }

    /**
     * Reads committed, or the message quarantined (a poison message is passed, never blocking the feed). Unavailable
     * (store behind or down) and refused (the route names no feed of ours) are not settled. Null: the route failed.
     */
    static boolean settled(IngestOutcome o) {
        return o instanceof IngestOutcome.Stored || o instanceof IngestOutcome.NothingToStore
                || o instanceof IngestOutcome.Quarantined;
    }

    /** Why a message was not settled, for the back-off counter and the log (a code, never payload content). */
    static String reason(IngestOutcome o) {
        if (o == null) {
            return "ingest-failed";
        }
        if (o instanceof IngestOutcome.Unavailable u) {
            return u.error();
        }
        if (o instanceof IngestOutcome.Refused r) {
            return r.why().code();
        }
        return null;
    }
}
