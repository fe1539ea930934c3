package uk.anprhub.ingest;

import uk.anprhub.message.Reason;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * What happened to one message, in the hub's terms. Each transport maps it to its own answer at its edge: HTTP
 * ({@link HttpAnswer}), TCP acks, FTP archive folders, Kafka offsets and MQTT PUBACKs.
 */
public sealed interface IngestOutcome {

    /**
     * The message's valid reads are committed ({@code duplicates} of them were already stored); reads of it that were
     * refused are quarantined and listed in {@code quarantined} (empty when none).
     *
     * @param readIds the id of each valid read in order, null for a duplicate
     */
    record Stored(int received, int stored, int duplicates, List<UUID> readIds, List<Problem> quarantined)
            implements IngestOutcome {
        public Stored {
            readIds = Collections.unmodifiableList(new ArrayList<>(readIds)); // nulls allowed: duplicates
            quarantined = List.copyOf(quarantined);
        }
    }

    /** Decoded, with no read to store (e.g. a camera's lifecycle event): acknowledged. */
    record NothingToStore() implements IngestOutcome {
    }

    /**
     * The message is refused and quarantined (rows committed; ids null when re-processing): as a whole
     * ({@code received} null, one problem), or because every read of it was refused ({@code received} reads).
     */
    record Quarantined(List<Problem> problems, Integer received) implements IngestOutcome {
        public Quarantined {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a quarantined message has at least one problem");
            }
        }

        static Quarantined whole(Problem problem) {
            return new Quarantined(List.of(problem), null);
        }

        /** The first problem: the message's reason as a one-line answer gives it. */
        public Problem first() {
            return problems.get(0);
        }
    }

    /** Refused and not kept: the sender may not post here, or the feed does not exist. */
    record Refused(Refusal why, String detail) implements IngestOutcome {
    }

    /** Not taken now and not kept (store behind or down, hub starting or stopping): the sender should retry. */
    record Unavailable(String error, String detail, int retryAfterSeconds) implements IngestOutcome {
    }

    /** Why a sender was refused without its message being kept. */
    enum Refusal {
        UNKNOWN_FEED("unknown-feed"),
        FORBIDDEN("forbidden"),
        UNAUTHORISED("unauthorised"),
        BODY_TIMEOUT("body-timeout");

        private final String code;

        Refusal(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** A quarantined message ({@code index} null) or read of a message (its position in the message). */
    record Problem(Integer index, Reason reason, String detail, Long quarantineId) {
    }
}
