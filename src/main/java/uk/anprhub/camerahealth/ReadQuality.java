package uk.anprhub.camerahealth;

/**
 * The camera's last {@code window} reads, each remembered as two bits (unreadable characters, low confidence), with
 * running counts: the share of poor reads in O(1) and {@code window} bytes per camera. Not thread-safe (the
 * tracker's monitor guards it).
 */
final class ReadQuality {

    static final byte UNREADABLE = 1;
    static final byte LOW_CONFIDENCE = 2;

    private final byte[] ring;
    private int next;
    private int size;
    private int unreadable;
    private int lowConfidence;
    private int poor;

    ReadQuality(int window) {
        this.ring = new byte[window];
    }

    void add(boolean unreadableRead, boolean lowConfidenceRead) {
        if (size == ring.length) {
            count(ring[next], -1);
        } else {
            size++;
        }
        byte b = (byte) ((unreadableRead ? UNREADABLE : 0) | (lowConfidenceRead ? LOW_CONFIDENCE : 0));
        ring[next] = b;
        count(b, 1);
        next = (next + 1) % ring.length;
    }

    private void count(byte b, int d) {
        if ((b & UNREADABLE) != 0) {
            unreadable += d;
        }
        if ((b & LOW_CONFIDENCE) != 0) {
            lowConfidence += d;
        }
        if (b != 0) {
            poor += d;
        }
    }

    int reads() {
        return size;
    }

    int unreadable() {
        return unreadable;
    }

    int lowConfidence() {
        return lowConfidence;
    }

    /** Unreadable or low confidence (a read that is both counts once); null before any read. */
    Double poorShare() {
        return size == 0 ? null : poor / (double) size;
    }
}
