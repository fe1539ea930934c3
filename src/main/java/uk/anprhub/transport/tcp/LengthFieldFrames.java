package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.nio.ByteOrder;

/**
 * Length-prefixed frames, cut by Netty's {@link LengthFieldBasedFrameDecoder} (fail-fast: an oversize frame is
 * refused from its header, before its body arrives): {@code offset} bytes (e.g. a magic number), a length field of
 * 1, 2, 4 or 8 bytes in either byte order, then {@code value + adjustment} bytes; the first {@code strip} bytes (by
 * default the header) are dropped. Used for its decoding step only ({@link FrameDecoder} holds the bytes).
 */
final class LengthFieldFrames extends LengthFieldBasedFrameDecoder implements FrameCutter {

    LengthFieldFrames(int offset, int fieldLength, ByteOrder order, int adjustment, Integer strip, int maxFrame) {
        super(order, maxFrame, checked(offset), fieldLength(fieldLength), adjustment,
                strip == null ? offset + fieldLength : checked(strip), true);
    }

    private static int fieldLength(int n) {
        if (n != 1 && n != 2 && n != 4 && n != 8) {
            throw new IllegalArgumentException("length-bytes must be 1, 2, 4 or 8, not " + n);
        }
        return n;
    }

    private static int checked(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("length-offset and strip must not be negative");
        }
        return n;
    }

    /** An 8-byte field is unsigned here: a value Netty would call negative is too large, as is one that overflows. */
    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        long value = super.getUnadjustedFrameLength(buf, offset, length, order);
        if (value < 0 || value > Long.MAX_VALUE / 2) {
            throw new TooLongFrameException("length field exceeds 2^62");
        }
        return value;
    }

    @Override
    public byte[] cut(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        Object frame = decode(ctx, in);
        return frame == null ? null : FrameCutter.take((ByteBuf) frame);
    }
}
