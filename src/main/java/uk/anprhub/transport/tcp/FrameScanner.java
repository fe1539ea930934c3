package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import uk.anprhub.message.Reason;

/**
 * Cuts frames out of one connection's byte stream. Stateful (one instance per connection): bytes already scanned
 * are not scanned again when more arrive. Implementations never hold more than {@code maxFrame} bytes of a frame.
 */
abstract class FrameScanner {

    /** How many leading bytes of an offending frame are kept as the quarantine payload. */
    static final int SAMPLE_BYTES = 4096;

    protected final int maxFrame;

    protected FrameScanner(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    /**
     * The next complete frame's payload, consuming it (and anything between frames) from {@code in}; null when
     * more bytes are needed (the partial frame stays in {@code in}).
     */
    abstract byte[] next(ByteBuf in) throws FramingException;

    /**
     * The bytes of a frame begun and not ended, left in {@code in} after {@link #next} returned null; null when none
     * (nothing left, or only what may lie between frames: blanks, line noise before a start sequence). Bounded by
     * {@code maxFrame}: {@link #next} refuses a longer partial frame first.
     */
    byte[] pending(ByteBuf in) {
        return blank(in) ? null : copy(in, in.readerIndex(), in.readableBytes());
    }

    /** Whether a frame may have begun: bytes are left, or (with a start sequence) the start was consumed. */
    boolean begun(ByteBuf in) {
        return in.isReadable();
    }

    /** No bytes left, or only ASCII whitespace (what a sender may put between frames). */
    protected static boolean blank(ByteBuf in) {
        for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
            byte b = in.getByte(i);
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    protected static byte[] copy(ByteBuf in, int from, int length) {
        byte[] out = new byte[length];
        in.getBytes(from, out);
        return out;
    }

    protected FramingException tooLarge(ByteBuf in, int from, String detail) {
        int n = Math.min(SAMPLE_BYTES, in.writerIndex() - from);
        return new FramingException(Reason.TOO_LARGE, detail, copy(in, from, Math.max(0, n)));
    }

    protected FramingException undecodable(ByteBuf in, int from, String detail) {
        int n = Math.min(SAMPLE_BYTES, in.writerIndex() - from);
        return new FramingException(Reason.UNDECODABLE, detail, copy(in, from, Math.max(0, n)));
    }

    protected String over() {
        return "frame exceeds the limit of " + maxFrame + " bytes";
    }
}
