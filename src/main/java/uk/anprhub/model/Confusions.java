package uk.anprhub.model;

import java.util.List;

/**
 * Characters an ANPR camera's OCR mistakes for each other on UK plates. Each class is written as its
 * representative (the first character) followed by the characters read in its place:
 *
 * <pre>
 *   0  O D Q    zero, letter O, D and Q (round shapes)
 *   1  I L      one, I and L (upright strokes)
 *   8  B        eight and B
 *   5  S        five and S
 *   2  Z        two and Z
 *   6  G        six and G
 * </pre>
 *
 * A fuzzy search compares {@link #canonical} forms: {@code AB12CDE} and {@code A812CDE} are both {@code A812C0E}.
 * The store indexes the same mapping as {@code translate(vrm, FROM, TO)} ({@link #sql}); the two must never
 * differ (ConfusionsTest checks the migration). Shared with the hotlists: a hit on a confusable plate is the same
 * question.
 */
public final class Confusions {

    /** The classes, representative first. */
    public static final List<String> CLASSES = List.of("0ODQ", "1IL", "8B", "5S", "2Z", "6G");

    /** Characters replaced, in the order of {@link #TO}: SQL {@code translate}'s second argument. */
    public static final String FROM;
    /** Their representatives: SQL {@code translate}'s third argument. */
    public static final String TO;

    static {
        StringBuilder from = new StringBuilder();
        StringBuilder to = new StringBuilder();
        for (String c : CLASSES) {
            for (int i = 1; i < c.length(); i++) {
                from.append(c.charAt(i));
                to.append(c.charAt(0));
            }
        }
        FROM = from.toString();
        TO = to.toString();
    }

    private Confusions() {
    }

    /** Each character replaced by its class representative; characters in no class stay. Null stays null. */
    public static String canonical(String vrm) {
        if (vrm == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(vrm.length());
        for (int i = 0; i < vrm.length(); i++) {
            b.append(canonical(vrm.charAt(i)));
        }
        return b.toString();
    }

    /** The class representative of one character (itself when it is in no class). */
    public static char canonical(char c) {
        int i = FROM.indexOf(c);
        return i < 0 ? c : TO.charAt(i);
    }

    /** The SQL expression of the canonical form of a text column, exactly as the V5 index is built on it. */
    public static String sql(String column) {
        return "translate(" + column + ", '" + FROM + "', '" + TO + "')";
    }
}
