package uk.anprhub.hotlist;

/**
 * A cleaned VRM of up to {@link #MAX_LENGTH} characters (A-Z, 0-9) as one {@code long} (base 37, 0 = no
 * character), so the index of a million entries holds primitives instead of a million strings.
 */
final class VrmKey {

    /** 37^12 < 2^63: twelve characters fit. Longer plates (none in the UK) cannot be hotlist entries. */
    static final int MAX_LENGTH = 12;
    static final long NONE = -1;

    private VrmKey() {
    }

    /** The key, or {@link #NONE} when the text is empty, too long or has a character other than A-Z, 0-9. */
    static long of(CharSequence vrm) {
        int n = vrm.length();
        if (n == 0 || n > MAX_LENGTH) {
            return NONE;
        }
        long k = 0;
        for (int i = 0; i < n; i++) {
            int d = digit(vrm.charAt(i));
            if (d < 0) {
                return NONE;
            }
            k = k * 37 + d;
        }
        return k;
    }

    /** A character's digit in the key: A-Z 1-26, 0-9 27-36; -1 for any other. */
    static int digit(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 1;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 27;
        }
        return -1;
    }
}
