package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Concatenated XML documents with no delimiter (Tattile-style TCP push, VMS exports): a frame is the prolog (XML
 * declaration, comments, processing instructions, DOCTYPE) and one root element, and ends where the root element
 * closes. Tags are tracked with quoted attribute values, comments, CDATA sections, processing instructions and
 * declarations (with an internal subset) skipped as units, so a {@code >} or {@code <} inside them does not
 * count. Whitespace and a UTF-8 BOM between documents are skipped; other text outside a root element means the
 * stream is not XML ({@code undecodable}). Well-formedness and safety (no DTD, no entities) are checked later by
 * the connector's XML decoder.
 * <p>
 * Kept instead of Netty's {@code XmlFrameDecoder}, which mis-frames valid documents (a {@code >} in a single-quoted
 * attribute, a processing instruction in the body, a DOCTYPE with an internal subset), refuses a BOM between
 * documents and applies its limit to the whole buffer rather than to a frame (NettyDecodersTest shows these).
 */
final class XmlStreamScanner implements FrameCutter {

    private enum Mode { TEXT, LT, BANG, COMMENT, CDATA, PI, DECL, START_TAG, END_TAG }

    private static final byte[] CDATA_OPEN = "[CDATA[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Mode mode = Mode.TEXT;
    private int depth;
    private boolean started;
    private byte quote;
    private int brackets;
    private byte prev1;
    private byte prev2;
    private byte lastNonSpace;
    private final byte[] bang = new byte[CDATA_OPEN.length];
    private int bangLength;
    /** Bytes of the current frame already scanned (relative to the reader index). */
    private int scanned;

    private final int maxFrame;

    XmlStreamScanner(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    @Override
    public byte[] cut(ChannelHandlerContext ctx, ByteBuf in) {
        if (!started) {
            int skipped = 0;
            while (in.isReadable() && between(in.getByte(in.readerIndex()))) {
                in.skipBytes(1);
                skipped++;
            }
            if (skipped > 0 || !in.isReadable()) {
                return null; // called again from here: a sample starts at the document (or at what is not one)
            }
            if (in.getByte(in.readerIndex()) != '<') {
                throw new CorruptedFrameException("unexpected text between XML documents");
            }
            started = true;
            scanned = 0;
        }
        int from = in.readerIndex();
        int limit = in.writerIndex();
        for (int i = from + scanned; i < limit; i++) {
            if (step(in.getByte(i))) {
                int length = i + 1 - from;
                if (length > maxFrame) {
                    throw new TooLongFrameException();
                }
                byte[] frame = ByteBufUtil.getBytes(in, from, length);
                in.readerIndex(i + 1);
                reset();
                return frame;
            }
        }
        scanned = limit - from;
        if (scanned > maxFrame) {
            throw new TooLongFrameException();
        }
        return null;
    }

    /** Advances the state machine by one byte; true when this byte closed the root element. */
    private boolean step(byte b) {
        switch (mode) {
            case TEXT -> {
                if (b == '<') {
                    mode = Mode.LT;
                } else if (depth == 0 && !space(b)) {
                    throw new CorruptedFrameException("text outside the root element");
                }
            }
            case LT -> {
                switch (b) {
                    case '?' -> enter(Mode.PI);
                    case '!' -> {
                        enter(Mode.BANG);
                        bangLength = 0;
                    }
                    case '/' -> enter(Mode.END_TAG);
                    default -> {
                        enter(Mode.START_TAG);
                        return startTag(b);
                    }
                }
            }
            case BANG -> {
                bang[bangLength++] = b;
                if (bangLength == 2 && bang[0] == '-' && bang[1] == '-') {
                    enter(Mode.COMMENT);
                } else if (prefixOf(CDATA_OPEN)) {
                    if (bangLength == CDATA_OPEN.length) {
                        enter(Mode.CDATA);
                    }
                } else if (!(bangLength == 1 && b == '-')) {
                    enter(Mode.DECL);
                    brackets = 0;
                    for (int k = 0; k < bangLength; k++) {
                        decl(bang[k]);
                    }
                }
            }
            case COMMENT -> {
                if (b == '>' && prev1 == '-' && prev2 == '-') {
                    mode = Mode.TEXT;
                }
                shift(b);
            }
            case CDATA -> {
                if (b == '>' && prev1 == ']' && prev2 == ']') {
                    mode = Mode.TEXT;
                }
                shift(b);
            }
            case PI -> {
                if (b == '>' && prev1 == '?') {
                    mode = Mode.TEXT;
                }
                shift(b);
            }
            case DECL -> decl(b);
            case START_TAG -> {
                return startTag(b);
            }
            case END_TAG -> {
                if (b == '>') {
                    mode = Mode.TEXT;
                    if (--depth < 0) {
                        throw new CorruptedFrameException("closing tag without an open element");
                    }
                    return depth == 0;
                }
            }
        }
        return false;
    }

    private boolean startTag(byte b) {
        if (quote != 0) {
            if (b == quote) {
                quote = 0;
            }
        } else if (b == '"' || b == '\'') {
            quote = b;
        } else if (b == '>') {
            mode = Mode.TEXT;
            if (lastNonSpace == '/') {
                return depth == 0; // an empty root element
            }
            depth++;
        } else if (!space(b)) {
            lastNonSpace = b;
        }
        return false;
    }

    private void decl(byte b) {
        if (quote != 0) {
            if (b == quote) {
                quote = 0;
            }
        } else if (b == '"' || b == '\'') {
            quote = b;
        } else if (b == '[') {
            brackets++;
        } else if (b == ']') {
            brackets--;
        } else if (b == '>' && brackets <= 0) {
            mode = Mode.TEXT;
        }
    }

    private boolean prefixOf(byte[] word) {
        for (int k = 0; k < bangLength; k++) {
            if (bang[k] != word[k]) {
                return false;
            }
        }
        return true;
    }

    private void enter(Mode m) {
        mode = m;
        prev1 = 0;
        prev2 = 0;
        quote = 0;
        lastNonSpace = 0;
    }

    private void shift(byte b) {
        prev2 = prev1;
        prev1 = b;
    }

    private void reset() {
        enter(Mode.TEXT);
        depth = 0;
        started = false;
        scanned = 0;
    }

    private static boolean between(byte b) {
        return space(b) || b == 0 || b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF;
    }

    private static boolean space(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
