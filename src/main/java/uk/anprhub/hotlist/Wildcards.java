package uk.anprhub.hotlist;

import java.util.regex.Pattern;

/** A hotlist wildcard pattern: {@code *} any run of characters, {@code ?} exactly one; the rest A-Z, 0-9 literally. */
final class Wildcards {

    /** A pattern must pin down at least this many characters, so one entry cannot match every read. */
    static final int MIN_LITERALS = 2;

    private Wildcards() {
    }

    static boolean isPattern(String vrm) {
        return vrm.indexOf('*') >= 0 || vrm.indexOf('?') >= 0;
    }

    static Pattern compile(String pattern) {
        StringBuilder re = new StringBuilder(pattern.length() + 8);
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : String.valueOf(c)); // only A-Z0-9 reach here: no escaping needed
        }
        return Pattern.compile(re.toString());
    }

    static int literals(String pattern) {
        int n = 0;
        for (char c : pattern.toCharArray()) {
            if (c != '*' && c != '?') {
                n++;
            }
        }
        return n;
    }
}
