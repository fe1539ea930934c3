package uk.anprhub.transport.ftp;

import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.ingest.IngestOutcome.Problem;
import uk.anprhub.ingest.IngestOutcome.Quarantined;

import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An {@link IngestOutcome} as the FTP inbox settles a file: moved to {@code done/} (stored), to {@code failed/} with a
 * reason file (quarantined), or left in place and retried (the store is behind, or the account names no feed of ours).
 */
final class FtpOutcomes {

    private FtpOutcomes() {
    }

    /** Reads committed or the message quarantined: the file may leave the camera's folder. */
    static boolean settled(IngestOutcome o) {
        return done(o) || o instanceof Quarantined;
    }

    /** Settled and taken: {@code done/}. */
    static boolean done(IngestOutcome o) {
        return o instanceof IngestOutcome.Stored || o instanceof IngestOutcome.NothingToStore;
    }

    /** The reason file beside a file in {@code failed/}: reason code, detail, quarantine ids. */
    static String reasonText(Quarantined q) {
        StringBuilder s = new StringBuilder();
        s.append(q.first().reason().code()).append('\n');
        if (q.first().detail() != null) {
            s.append(q.first().detail()).append('\n');
        }
        String ids = q.problems().stream().map(Problem::quarantineId).filter(Objects::nonNull)
                .map(String::valueOf).collect(Collectors.joining(", "));
        if (!ids.isEmpty()) {
            s.append("quarantine id: ").append(ids).append('\n');
        }
        return s.toString();
    }

    /** For a log line: why a file was not taken (a code and its detail, never file content). */
    static String why(IngestOutcome o) {
        if (o instanceof IngestOutcome.Unavailable u) {
            return u.error() + ": " + u.detail();
        }
        if (o instanceof IngestOutcome.Refused r) {
            return r.why().code() + ": " + r.detail();
        }
        return "error: ";
    }
}
