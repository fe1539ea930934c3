package uk.anprhub.simulator.camera;

import java.nio.charset.StandardCharsets;

/**
 * Whole-token search and replace in a template's text: a value is only replaced where no letter or digit touches it,
 * so a plate inside base64 or a longer number is left alone.
 */
final class TokenText {

    private TokenText() {
    }

    /** The ISO-8859-1 view of a string's UTF-8 bytes: how it appears in the payload's ISO-8859-1 view. */
    static String latin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** First occurrence of {@code s} as a whole token (no letter or digit right before or after), or -1. */
    static int indexOf(String text, String s, int from) {
        for (int i = text.indexOf(s, from); i >= 0; i = text.indexOf(s, i + 1)) {
            int end = i + s.length();
            if ((i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                    && (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                return i;
            }
        }
        return -1;
    }

    /** Replaces every whole-token occurrence (so a plate inside base64 or a longer number is left alone). */
    static String replace(String text, String old, String value) {
        int i = indexOf(text, old, 0);
        if (i < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        int from = 0;
        for (; i >= 0; i = indexOf(text, old, from)) {
            b.append(text, from, i).append(value);
            from = i + old.length();
        }
        return b.append(text, from, text.length()).toString();
    }
}
