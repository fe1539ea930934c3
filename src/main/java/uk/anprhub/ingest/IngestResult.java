package uk.anprhub.ingest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.UUID;

/**
 * What happened to one message, as the sender sees it. {@code status} is the HTTP status the canonical
 * answer uses (other transports map it to their own acknowledgement).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestResult(@JsonIgnore int status, String error, String detail, Integer received, Integer stored,
                           Integer duplicates, List<Problem> quarantined, List<UUID> readIds,
                           @JsonIgnore Integer retryAfterSeconds) {

    /** A quarantined message ({@code index} null) or read of a message (its position in the message). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(Integer index, String reason, String detail, Long quarantineId) {
    }

    public boolean acknowledged() {
        return status < 300;
    }

    /**
     * True when the message is durably dealt with — its reads committed, or it is quarantined — so a transport may
     * acknowledge it (FTP: move to done/failed, Kafka: commit the offset, TCP: send the ack). False (503, 500,
     * unknown feed): keep it and retry later, pushing back at the protocol meanwhile.
     */
    public boolean settled() {
        return status < 500 && status != 404;
    }

    public static IngestResult rejected(int status, Problem p) {
        return new IngestResult(status, p.reason(), p.detail(), null, null, null, List.of(p), null, null);
    }

    static IngestResult unavailable(String error, String detail, int retryAfterSeconds) {
        return new IngestResult(503, error, detail, null, null, null, null, null, retryAfterSeconds);
    }
}
