package uk.anprhub.hotlist;

import java.time.Instant;
import java.util.List;

/**
 * A hotlist entry as the API takes and answers it.
 *
 * @param vrm       an exact VRM or a wildcard pattern ({@code *}, {@code ?}); spaces and dashes are dropped
 * @param priority  0 (highest) to 100
 * @param markers   free warning codes (e.g. PNC markers)
 * @param action    in a delta import: {@code add} (default; replaces the list's entry of the same VRM) or {@code remove}
 */
public record Entry(Long id, String vrm, Boolean wildcard, String category, Integer priority, List<String> markers,
                    String instructions, Instant validFrom, Instant expiry, String source, String action) {

    public static final int MAX_TEXT = 500;
    public static final int DEFAULT_PRIORITY = 50;

    /** No plate: an entry printed in a log line or error text cannot leak one. */
    @Override
    public String toString() {
        return "Entry[id=" + id + ", category=" + category + ", priority=" + priority + "]";
    }

    boolean removal() {
        return "remove".equals(action);
    }

    /**
     * This entry cleaned and checked (VRM upper-cased without spaces/dashes, defaults filled).
     *
     * @throws IllegalArgumentException naming the field (never quoting the VRM)
     */
    Entry cleaned() {
        String v = vrm == null ? "" : vrm.strip().toUpperCase(java.util.Locale.ROOT).replace(" ", "").replace("-", "");
        String act = action == null || action.isBlank() ? "add" : action.strip().toLowerCase(java.util.Locale.ROOT);
        if (!act.equals("add") && !act.equals("remove")) {
            throw new IllegalArgumentException("action must be add or remove");
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("vrm is required");
        }
        boolean pattern = Wildcards.isPattern(v);
        if (v.length() > VrmKey.MAX_LENGTH || !v.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || (pattern && (c == '*' || c == '?')))) {
            throw new IllegalArgumentException("vrm must be 1-" + VrmKey.MAX_LENGTH + " characters A-Z, 0-9 (a pattern also * and ?)");
        }
        if (pattern && Wildcards.literals(v) < Wildcards.MIN_LITERALS) {
            throw new IllegalArgumentException("a wildcard vrm needs at least " + Wildcards.MIN_LITERALS + " characters other than * and ?");
        }
        if (act.equals("remove")) {
            return new Entry(id, v, pattern, category, priority, markers, instructions, validFrom, expiry, source, act);
        }
        String cat = text(category, "category");
        if (cat == null) {
            throw new IllegalArgumentException("category is required");
        }
        int p = priority == null ? DEFAULT_PRIORITY : priority;
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("priority must be 0-100");
        }
        if (validFrom != null && expiry != null && !expiry.isAfter(validFrom)) {
            throw new IllegalArgumentException("expiry must be after validFrom");
        }
        List<String> m = markers == null ? List.of() : markers.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (m.size() > 20 || m.stream().anyMatch(s -> s.length() > 32 || s.contains(";"))) {
            throw new IllegalArgumentException("markers: at most 20 codes of at most 32 characters, no ';'");
        }
        return new Entry(id, v, pattern, cat, p, m, text(instructions, "instructions"), validFrom, expiry,
                text(source, "source"), act);
    }

    private static String text(String s, String field) {
        if (s == null || s.isBlank()) {
            return null;
        }
        if (s.length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_TEXT + " characters");
        }
        return s.strip();
    }
}
