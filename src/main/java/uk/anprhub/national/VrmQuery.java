package uk.anprhub.national;

import java.util.Locale;

/**
 * The plate asked for: exact, or with wildcards ({@code *} any run of characters, {@code ?} one), upper-cased and
 * without spaces. A wildcard search names at least {@value #MIN_LITERALS} characters, so no search sweeps the country.
 */
record VrmQuery(String vrm, boolean wildcard) {

    static final int MIN_LITERALS = 3;

    static VrmQuery parse(String text) {
        String v = text == null ? "" : text.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        if (v.isEmpty() || v.length() > 20 || !v.matches("[A-Z0-9*?]+")) {
            throw new IllegalArgumentException("vrm: letters and digits, with * (any run) or ? (one character) as wildcards, at most 20");
        }
        boolean wildcard = v.indexOf('*') >= 0 || v.indexOf('?') >= 0;
        if (wildcard && v.replaceAll("[*?]", "").length() < MIN_LITERALS) {
            throw new IllegalArgumentException("vrm: a wildcard search needs at least " + MIN_LITERALS + " letters or digits");
        }
        return new VrmQuery(v.replaceAll("\\*+", "*"), wildcard);
    }

    String match() {
        return wildcard ? "wildcard" : "exact";
    }
}
