package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Frames between an optional start sequence and an end sequence — lines (end LF, a trailing CR dropped), STX/ETX,
 * or any byte strings — cut by Netty's {@link DelimiterBasedFrameDecoder}. Empty frames are skipped.
 * <p>
 * Netty has no start sequence; what it takes is kept here. Bytes before a start are skipped (line noise between
 * frames, without limit), and a new start inside a frame restarts the frame (the sender gave up on the previous
 * one): the start is a second delimiter to Netty, and a piece that ends with a start is dropped. The limit counts
 * from the latest start, as before. Lines use a single LF delimiter and drop the CR here: Netty's
 * {@code LineBasedFrameDecoder} reports a too-long line by {@code fireExceptionCaught} after discarding its bytes,
 * which leaves nothing to quarantine (see NettyDecodersTest).
 * <p>
 * Used for its decoding step only ({@link FrameDecoder} holds the bytes); never added to a pipeline itself.
 */
final class DelimitedFrames extends DelimiterBasedFrameDecoder implements FrameCutter {

    private final byte[] start;
    private final ByteBuf startBuf;
    private final byte[] end;
    private final boolean dropCr;
    private final int maxFrame;
    /** With a start sequence: it was consumed, the reader index is in the frame's content. */
    private boolean inFrame;

    DelimitedFrames(byte[] start, byte[] end, boolean dropCr, int maxFrame) {
        // Netty's limit leaves room for a delimiter begun at the end of the buffer (or the CR of a line) as our
        // limit always did; the content limit is checked in cut().
        super(maxFrame + (dropCr ? 1 : Math.max(0, end.length - 1)), true, true, delimiters(start, end));
        this.start = start == null || start.length == 0 ? null : start;
        this.startBuf = this.start == null ? null : Unpooled.wrappedBuffer(this.start);
        this.end = end;
        this.dropCr = dropCr;
        this.maxFrame = maxFrame;
    }

    static DelimitedFrames lines(int maxFrame) {
        return new DelimitedFrames(null, new byte[]{'\n'}, true, maxFrame);
    }

    static DelimitedFrames stxEtx(int maxFrame) {
        return new DelimitedFrames(new byte[]{0x02}, new byte[]{0x03}, false, maxFrame);
    }

    /** The end first: where both match at once, Netty takes the first, and an end ends the frame. */
    private static ByteBuf[] delimiters(byte[] start, byte[] end) {
        if (end == null || end.length == 0) {
            throw new IllegalArgumentException("delimited framing needs end bytes");
        }
        return start == null || start.length == 0 ? new ByteBuf[]{Unpooled.wrappedBuffer(end)}
                : new ByteBuf[]{Unpooled.wrappedBuffer(end), Unpooled.wrappedBuffer(start)};
    }

    @Override
    public byte[] cut(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (start != null && !inFrame) {
            int s = ByteBufUtil.indexOf(startBuf, in);
            if (s < 0) { // noise: keep only what could be the beginning of a start sequence
                in.readerIndex(Math.max(in.readerIndex(), in.writerIndex() - (start.length - 1)));
                return null;
            }
            in.readerIndex(s + start.length);
            inFrame = true;
            return null; // called again from here: a sample of this frame starts at its content
        }
        int from = in.readerIndex();
        ByteBuf piece;
        try {
            piece = (ByteBuf) decode(ctx, in);
        } catch (TooLongFrameException e) {
            throw new TooLongFrameException(); // Netty's message names its own limit, not the feed's
        }
        if (piece == null) {
            return null;
        }
        int length = piece.readableBytes();
        piece.release();
        if (start != null && !endsAt(in, from + length)) {
            return null; // a new start before the end: the piece is dropped, the new frame is under way
        }
        inFrame = false;
        if (dropCr && length > 0 && in.getByte(from + length - 1) == '\r') {
            length--;
        }
        if (length > maxFrame) {
            throw new TooLongFrameException();
        }
        return length == 0 ? null : ByteBufUtil.getBytes(in, from, length);
    }

    /** Whether the delimiter consumed after the piece at {@code at} was the end (else it was a start). */
    private boolean endsAt(ByteBuf in, int at) {
        if (in.readerIndex() - at != end.length) {
            return false;
        }
        for (int i = 0; i < end.length; i++) {
            if (in.getByte(at + i) != end[i]) {
                return false;
            }
        }
        return true;
    }

    /** With a start sequence: the frame after it (bytes before a start are noise); else whatever is left, unless blank. */
    @Override
    public byte[] pending(ByteBuf in) {
        if (start != null) {
            return inFrame && in.isReadable() ? ByteBufUtil.getBytes(in) : null;
        }
        return FrameCutter.super.pending(in);
    }

    @Override
    public boolean begun(ByteBuf in) {
        return start != null ? inFrame : in.isReadable();
    }
}
