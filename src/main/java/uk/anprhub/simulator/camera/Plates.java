package uk.anprhub.simulator.camera;

import java.util.random.RandomGenerator;

/** Random plates and ids. */
final class Plates {

    /** Letters used on current UK plates (no I, Q; Z only in the random part but kept simple). */
    private static final String LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ";

    private Plates() {
    }

    /** A current-style UK plate, clean: two letters, two digits, three letters. */
    static String uk(RandomGenerator r) {
        char[] c = new char[7];
        for (int i = 0; i < 7; i++) {
            c[i] = i == 2 || i == 3 ? (char) ('0' + r.nextInt(10)) : LETTERS.charAt(r.nextInt(LETTERS.length()));
        }
        return new String(c);
    }

    /**
     * A new value of the same shape as {@code template}: digits for digits, letters for letters (same case), hex
     * digits for an all-hex value, separators kept. Used for vendor read ids and for plates of non-UK shape.
     */
    static String sameShape(String template, RandomGenerator r) {
        boolean hex = template.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '-');
        StringBuilder b = new StringBuilder(template.length());
        for (int i = 0; i < template.length(); i++) {
            char ch = template.charAt(i);
            if (ch >= '0' && ch <= '9') {
                b.append((char) ('0' + r.nextInt(10)));
            } else if (hex && Character.digit(ch, 16) >= 0) {
                String digits = Character.isUpperCase(ch) ? "0123456789ABCDEF" : "0123456789abcdef";
                b.append(digits.charAt(r.nextInt(16)));
            } else if (Character.isLetter(ch)) {
                char l = LETTERS.charAt(r.nextInt(LETTERS.length()));
                b.append(Character.isLowerCase(ch) ? Character.toLowerCase(l) : l);
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /** The plate as the template wrote it (case, separators), with the new plate's characters; UK when it fits. */
    static String like(String asRead, RandomGenerator r) {
        String clean = clean(asRead);
        if (clean.length() != 7 || !asRead.chars().allMatch(ch -> ch < 128)) {
            return sameShape(asRead, r);
        }
        String uk = uk(r);
        StringBuilder b = new StringBuilder(asRead.length());
        int k = 0;
        for (int i = 0; i < asRead.length(); i++) {
            char ch = asRead.charAt(i);
            if (Character.isLetterOrDigit(ch)) {
                char n = uk.charAt(k++);
                b.append(Character.isLowerCase(ch) ? Character.toLowerCase(n) : n);
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /** As the hub cleans a VRM: upper case, A-Z and 0-9 only. */
    static String clean(String vrm) {
        return vrm.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    }
}
