package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Cuts the next frame off the front of one connection's buffered bytes, which {@link FrameDecoder} holds: Netty's
 * frame decoders ({@link DelimitedFrames}, {@link LengthFieldFrames}) and, where Netty's do not frame what cameras
 * send, ours ({@link JsonStreamScanner}, {@link XmlStreamScanner}). Stateful: one per connection. Errors are Netty's
 * own, without payload content in their messages: {@link TooLongFrameException} (over the feed's limit) and
 * {@link CorruptedFrameException} (not this framing); {@link FrameDecoder} turns them into quarantine samples.
 */
interface FrameCutter {

    /**
     * The next complete frame, consumed from {@code in} with anything skipped before it; null when none is complete.
     * May consume bytes and return null (noise, an empty frame): it is then called again.
     */
    byte[] cut(ChannelHandlerContext ctx, ByteBuf in) throws Exception;

    /**
     * The bytes of a frame begun and not ended, left in {@code in} after {@link #cut} returned null; null when none
     * (nothing left, or only what may lie between frames).
     */
    default byte[] pending(ByteBuf in) {
        return blank(in) ? null : ByteBufUtil.getBytes(in);
    }

    /** Whether a frame may have begun (for the frame timeout). */
    default boolean begun(ByteBuf in) {
        return in.isReadable();
    }

    /** No bytes left, or only ASCII whitespace (what a sender may put between frames). */
    static boolean blank(ByteBuf in) {
        for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
            byte b = in.getByte(i);
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** The frame's bytes; releases the frame Netty's decoder handed out. */
    static byte[] take(ByteBuf frame) {
        try {
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
    }
}
