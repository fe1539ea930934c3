package uk.anprhub.access;

import java.util.ArrayList;
import java.util.List;

/**
 * Why personal data is being looked at (DPA 2018 Part 3): a reason in words, the incident or case reference and a
 * purpose code from the force's configured list. Required on every search, national search and export; it goes into
 * the audit row with the action it justifies.
 */
public record Justification(String reason, String reference, String purpose) {

    /** Shortest reason accepted: a word or two is not a reason. */
    public static final int MIN_REASON = 10;
    /** Longest reason, reference or purpose kept (bounded input). */
    public static final int MAX_TEXT = 500;

    /**
     * The justification given, trimmed, or a refusal naming every missing or bad field.
     *
     * @throws MissingJustificationException (an answer 400 naming the fields)
     */
    public static Justification require(String reason, String reference, String purpose, AccessProperties policy) {
        List<String> missing = new ArrayList<>();
        String r = strip(reason);
        String ref = strip(reference);
        String p = strip(purpose);
        if (r.length() < MIN_REASON || r.length() > MAX_TEXT) {
            missing.add("reason");
        }
        if (ref.isEmpty() || ref.length() > MAX_TEXT) {
            missing.add("reference");
        }
        if (!policy.purposes().contains(p)) {
            missing.add("purpose");
        }
        if (!missing.isEmpty()) {
            throw new MissingJustificationException(missing, policy.purposes());
        }
        return new Justification(r, ref, p);
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }
}
