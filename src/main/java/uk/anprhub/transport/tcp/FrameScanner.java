package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;

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

    protected static byte[] copy(ByteBuf in, int from, int length) {
        byte[] out = new byte[length];
        in.getBytes(from, out);
        return out;
    }

    protected FramingException tooLarge(ByteBuf in, int from, String detail) {
        int n = Math.min(SAMPLE_BYTES, in.writerIndex() - from);
        return new FramingException("too-large", detail, copy(in, from, Math.max(0, n)));
    }

    protected FramingException undecodable(ByteBuf in, int from, String detail) {
        int n = Math.min(SAMPLE_BYTES, in.writerIndex() - from);
        return new FramingException("undecodable", detail, copy(in, from, Math.max(0, n)));
    }

    protected String over() {
        return "frame exceeds the limit of " + maxFrame + " bytes";
    }
}
