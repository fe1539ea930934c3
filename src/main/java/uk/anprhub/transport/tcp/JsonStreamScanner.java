package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;

/**
 * Concatenated JSON objects or arrays with no delimiter (Axis LPV TCP push, some VMS exports): a frame ends where
 * its outer bracket closes, counting brackets outside strings (escapes honoured). Whitespace, commas, NULs and a
 * UTF-8 BOM between values are skipped; anything else between values means the stream is not JSON
 * ({@code undecodable}). UTF-8 multi-byte sequences never contain the bytes scanned for, so bytes are scanned
 * as they come. The content itself is validated later, by the connector's decoder.
 */
final class JsonStreamScanner extends FrameScanner {

    private int depth;
    private boolean inString;
    private boolean escaped;
    /** Bytes of the current frame already scanned (relative to the reader index); 0 = between values. */
    private int scanned;

    JsonStreamScanner(int maxFrame) {
        super(maxFrame);
    }

    @Override
    byte[] next(ByteBuf in) throws FramingException {
        if (scanned == 0) {
            while (in.isReadable()) {
                byte b = in.getByte(in.readerIndex());
                if (b == '{' || b == '[') {
                    break;
                }
                if (!between(b)) {
                    throw undecodable(in, in.readerIndex(), "unexpected byte between JSON values");
                }
                in.skipBytes(1);
            }
            if (!in.isReadable()) {
                return null;
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
                            throw tooLarge(in, from, over());
                        }
                        byte[] frame = copy(in, from, length);
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
            throw tooLarge(in, from, over());
        }
        return null;
    }

    private static boolean between(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ',' || b == 0
                || b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF;
    }
}
