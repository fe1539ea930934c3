package uk.anprhub.simulator.nas;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The simulator's fault injection, as set by {@code POST /nas/v1/_faults}. A POST changes only the keys it names
 * (a null or empty pattern clears it), so "mode: down" keeps a reject pattern in place.
 *
 * @param errorRate          share of requests answered 500 in mode {@code error} (before any record is processed)
 * @param latencyMs          delay before a request is processed in mode {@code slow}, and in mode {@code error}
 * @param rejectVrmPattern   records whose vrm matches are answered REJECTED (per record)
 * @param badBatchVrmPattern a batch holding a record whose vrm matches is answered 400 as a whole (schema-level
 *                           refusal; an addition to the contract, for the hub's bisection)
 * @param retryAfterSeconds  sent as {@code Retry-After} with 503 ({@code down}) and 429 ({@code throttle})
 */
public record Faults(Mode mode, double errorRate, long latencyMs, Pattern rejectVrmPattern, Pattern badBatchVrmPattern,
                     Integer retryAfterSeconds) {

    /**
     * {@code up}, {@code down} (503), {@code refuse} (listening socket closed), {@code slow}, {@code error} (500 at
     * errorRate) are the contract's; {@code unauthorized} (401) and {@code throttle} (429) are additions.
     */
    public enum Mode { UP, DOWN, REFUSE, SLOW, ERROR, UNAUTHORIZED, THROTTLE }

    public static final Faults NONE = new Faults(Mode.UP, 0, 0, null, null, null);

    public Faults withMode(Mode m) {
        return new Faults(m, errorRate, latencyMs, rejectVrmPattern, badBatchVrmPattern, retryAfterSeconds);
    }

    /** This state with the keys present in {@code json} replaced. */
    public Faults merge(JsonNode json) {
        Mode m = json.hasNonNull("mode") ? Mode.valueOf(json.get("mode").asText().toUpperCase(Locale.ROOT)) : mode;
        double rate = json.has("errorRate") ? json.get("errorRate").asDouble() : errorRate;
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("errorRate must be within 0.0-1.0");
        }
        long latency = json.has("latencyMs") ? json.get("latencyMs").asLong() : latencyMs;
        return new Faults(m, rate, Math.max(0, latency),
                json.has("rejectVrmPattern") ? pattern(json.get("rejectVrmPattern")) : rejectVrmPattern,
                json.has("badBatchVrmPattern") ? pattern(json.get("badBatchVrmPattern")) : badBatchVrmPattern,
                json.has("retryAfterSeconds") ? (json.get("retryAfterSeconds").isNull() ? null : json.get("retryAfterSeconds").asInt())
                        : retryAfterSeconds);
    }

    private static Pattern pattern(JsonNode node) {
        return node.isNull() || node.asText().isEmpty() ? null : Pattern.compile(node.asText());
    }
}
