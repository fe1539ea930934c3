package uk.anprhub.search;

/**
 * A convoy search as sent ({@code POST /api/v1/reads/convoy}): which vehicles were seen at the same cameras as the
 * target plate, within ±{@code windowSeconds} of it, at least {@code minCount} times, in the time range.
 */
public record ConvoyRequest(String vrm, String from, String to, Integer windowSeconds, Integer minCount,
                            String reason, String reference, String purpose) {
}
