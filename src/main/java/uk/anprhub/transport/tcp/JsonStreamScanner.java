package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Concatenated JSON objects or arrays with no delimiter (Axis LPV TCP push, some VMS exports): a frame ends where
 * its outer bracket closes, counting brackets outside strings (escapes honoured). Whitespace, commas, NULs and a
 * UTF-8 BOM between values are skipped; anything else between values means the stream is not JSON
 * ({@code undecodable}). UTF-8 multi-byte sequences never contain the bytes scanned for, so bytes are scanned
 * as they come. The content itself is validated later, by the connector's decoder.
 * <p>
 * Kept instead of Netty's {@code JsonObjectDecoder}, which refuses a comma, NUL or BOM between values and applies
 * its limit to the whole buffer rather than to a frame (NettyDecodersTest shows both).
 */
final class JsonStreamScanner implements FrameCutter {

    private final int maxFrame;

    private int depth;
    private boolean inString;
    private boolean escaped;
    /** Bytes of the current frame already scanned (relative to the reader index); 0 = between values. */
    private int scanned;

    JsonStreamScanner(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    @Override
    public byte[] cut(ChannelHandlerContext ctx, ByteBuf in) {
        if (scanned == 0) {
            int skipped = 0;
            while (in.isReadable() && between(in.getByte(in.readerIndex()))) {
                in.skipBytes(1);
                skipped++;
            }
            if (skipped > 0 || !in.isReadable()) {
                return null; // called again from here: a sample starts at the value (or at what is not one)
            }
            byte b = in.getByte(in.readerIndex());
            if (b != '{' && b != '[') {
                throw new CorruptedFrameException("unexpected byte between JSON values");
            }
        }
        int from = in.readerIndex();
        int limit = in.writerIndex();
        for (int i = from + scanned; i < limit; i++) {
            byte b = in.getByte(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
                continue;
            }
            switch (b) {
                case '"' -> inString = true;
                case '{', '[' -> depth++;
                case '}', ']' -> {
                    if (--depth == 0) {
                        int length = i + 1 - from;
                        if (length > maxFrame) {
                            throw new TooLongFrameException();
                        }
                        byte[] frame = ByteBufUtil.getBytes(in, from, length);
                        in.readerIndex(i + 1);
                        scanned = 0;
                        return frame;
                    }
                }
                default -> {
                }
            }
        }
        scanned = limit - from;
        if (scanned > maxFrame) {
            throw new TooLongFrameException();
        }
        return null;
    }

    private static boolean between(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ',' || b == 0
                || b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF;
    }
}
