package uk.anprhub.transport.tcp;

import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.ingest.IngestOutcome.NothingToStore;
import uk.anprhub.ingest.IngestOutcome.Quarantined;
import uk.anprhub.ingest.IngestOutcome.Refused;
import uk.anprhub.ingest.IngestOutcome.Stored;
import uk.anprhub.ingest.IngestOutcome.Unavailable;

/** An {@link IngestOutcome} as a TCP feed answers it: ack, nack, or nothing yet (the frame is offered again). */
final class TcpAcks {

    private TcpAcks() {
    }

    /**
     * Durably dealt with — reads committed, or the frame quarantined — so the frame is answered and the next one read.
     * Unavailable (store behind) and refused (a route naming no feed of ours) are not: the frame is kept and retried.
     */
    static boolean settled(IngestOutcome o) {
        return o instanceof Stored || o instanceof NothingToStore || o instanceof Quarantined;
    }

    /** Settled and taken: the feed's {@code ack}; a quarantined frame gets its {@code nack}. */
    static boolean acknowledged(IngestOutcome o) {
        return o instanceof Stored || o instanceof NothingToStore;
    }

    /** How long to wait before offering an unsettled frame again. */
    static int retryAfterSeconds(IngestOutcome o) {
        return o instanceof Unavailable u ? u.retryAfterSeconds() : 1;
    }

    /** For a log line: why a frame was not taken (never payload content). */
    static String why(IngestOutcome o) {
        if (o instanceof Unavailable u) {
            return u.error();
        }
        if (o instanceof Refused r) {
            return r.why().code();
        }
        return o.getClass().getSimpleName();
    }
}
