package uk.anprhub.hotlist;

/**
 * The OCR confusion classes (0/O/D/Q, 1/I/L, 8/B, 5/S, 2/Z, 6/G): characters a camera mistakes for each other.
 * Two plates with the same {@link #canonical} key differ only within classes. The same table as local search's
 * {@code uk.anprhub.search.Confusions}; to be merged into one.
 */
public final class OcrClasses {

    private static final char[] CLASS = new char[128];

    static {
        for (char c = 0; c < 128; c++) {
            CLASS[c] = c;
        }
        set('0', "0ODQ");
        set('1', "1IL");
        set('8', "8B");
        set('5', "5S");
        set('2', "2Z");
        set('6', "6G");
    }

    private static void set(char key, String members) {
        for (char c : members.toCharArray()) {
            CLASS[c] = key;
        }
    }

    private OcrClasses() {
    }

    /** Each character replaced by its class's representative (a cleaned VRM: A-Z, 0-9). */
    public static String canonical(String vrm) {
        char[] out = new char[vrm.length()];
        for (int i = 0; i < out.length; i++) {
            char c = vrm.charAt(i);
            out[i] = c < 128 ? CLASS[c] : c;
        }
        return new String(out);
    }
}
