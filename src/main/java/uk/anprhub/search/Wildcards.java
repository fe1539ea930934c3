package uk.anprhub.search;

/**
 * A plate pattern with {@code *} (any run of characters, also none) and {@code ?} (exactly one character) as a SQL
 * {@code LIKE} pattern with escape character {@code \}. Every other character is a literal: a {@code %}, {@code _}
 * or {@code \} in the input matches only itself, so input can never widen the pattern.
 */
public final class Wildcards {

    private Wildcards() {
    }

    public static boolean isPattern(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }

    /** The LIKE pattern (use with {@code ESCAPE '\'}). */
    public static String toLike(String pattern) {
        StringBuilder b = new StringBuilder(pattern.length() + 4);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> {
                    if (b.isEmpty() || b.charAt(b.length() - 1) != '%' || escaped(b)) {
                        b.append('%'); // "**" is one run
                    }
                }
                case '?' -> b.append('_');
                case '%', '_', '\\' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Characters of the pattern that are not wildcards. */
    public static int literals(String pattern) {
        int n = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '*' && c != '?') {
                n++;
            }
        }
        return n;
    }

    /** How many known characters the pattern starts with (before its first wildcard). */
    public static int prefix(String pattern) {
        int n = 0;
        while (n < pattern.length() && pattern.charAt(n) != '*' && pattern.charAt(n) != '?') {
            n++;
        }
        return n;
    }

    /** Whether the last '%' of the pattern so far is an escaped literal. */
    private static boolean escaped(StringBuilder b) {
        int slashes = 0;
        for (int i = b.length() - 2; i >= 0 && b.charAt(i) == '\\'; i--) {
            slashes++;
        }
        return slashes % 2 == 1;
    }
}
