package uk.anprhub.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import uk.anprhub.ingest.IngestOutcome.NothingToStore;
import uk.anprhub.ingest.IngestOutcome.Problem;
import uk.anprhub.ingest.IngestOutcome.Quarantined;
import uk.anprhub.ingest.IngestOutcome.Refused;
import uk.anprhub.ingest.IngestOutcome.Stored;
import uk.anprhub.ingest.IngestOutcome.Unavailable;
import uk.anprhub.message.Reason;

import java.util.List;
import java.util.UUID;

/**
 * An {@link IngestOutcome} as the HTTP contract answers it (docs/api.md): the one place that knows HTTP statuses.
 *
 * @param retryAfterSeconds the {@code Retry-After} header, null for none
 * @param body              the JSON body
 */
public record HttpAnswer(int status, Integer retryAfterSeconds, Body body) {

    /** The JSON body: absent fields are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String error, String detail, Integer received, Integer stored, Integer duplicates,
                       List<Item> quarantined, List<UUID> readIds) {
    }

    /** A quarantined message ({@code index} null) or read; a refusal is listed here too, without an id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(Integer index, String reason, String detail, Long quarantineId) {
    }

    public static HttpAnswer of(IngestOutcome outcome) {
        if (outcome instanceof Stored s) {
            return new HttpAnswer(200, null, new Body(null, null, s.received(), s.stored(), s.duplicates(),
                    s.quarantined().isEmpty() ? null : items(s.quarantined()), s.readIds()));
        }
        if (outcome instanceof NothingToStore) {
            return new HttpAnswer(200, null, new Body(null, null, 0, 0, 0, null, List.of()));
        }
        if (outcome instanceof Quarantined q) {
            Problem first = q.first();
            Integer received = q.received();
            Integer none = received == null ? null : 0;
            return new HttpAnswer(received == null ? status(first.reason()) : 422, null, new Body(first.reason().code(),
                    first.detail(), received, none, none, items(q.problems()), null));
        }
        if (outcome instanceof Refused r) {
            return new HttpAnswer(status(r.why()), null, new Body(r.why().code(), r.detail(), null, null, null,
                    List.of(new Item(null, r.why().code(), r.detail(), null)), null));
        }
        Unavailable u = (Unavailable) outcome; // the last case of the sealed type
        return new HttpAnswer(503, u.retryAfterSeconds(), new Body(u.error(), u.detail(), null, null, null, null, null));
    }

    /** The code the refusal counters and logs name: the body's {@code error}, or null when stored. */
    public String error() {
        return body.error();
    }

    /** A message refused as a whole: 413 too large, 415 a content type no decoder takes, else 422. */
    private static int status(Reason reason) {
        return switch (reason) {
            case TOO_LARGE -> 413;
            case UNSUPPORTED_CONTENT_TYPE -> 415;
            default -> 422;
        };
    }

    private static int status(IngestOutcome.Refusal why) {
        return switch (why) {
            case UNKNOWN_FEED -> 404;
            case FORBIDDEN -> 403;
            case UNAUTHORISED -> 401;
            case BODY_TIMEOUT -> 408;
        };
    }

    private static List<Item> items(List<Problem> problems) {
        return problems.stream().map(p -> new Item(p.index(), p.reason().code(), p.detail(), p.quarantineId())).toList();
    }
}
