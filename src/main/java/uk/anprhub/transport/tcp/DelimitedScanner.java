package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;

/**
 * Frames between an optional start sequence and an end sequence: lines (end LF, trailing CR dropped), STX/ETX,
 * or any byte strings. With a start sequence, bytes before it are skipped (line noise between frames) and a new
 * start inside a frame restarts the frame (the sender gave up on the previous one). Empty frames are skipped.
 */
final class DelimitedScanner extends FrameScanner {

    private final byte[] start;
    private final byte[] end;
    private final boolean dropCr;
    /** With a start sequence: it was seen and consumed, {@code in}'s reader index is at the frame's content. */
    private boolean inFrame;
    /** Bytes of the current frame already searched for the end (relative to the reader index). */
    private int scanned;

    DelimitedScanner(byte[] start, byte[] end, boolean dropCr, int maxFrame) {
        super(maxFrame);
        if (end == null || end.length == 0) {
            throw new IllegalArgumentException("delimited framing needs end bytes");
        }
        this.start = start == null ? new byte[0] : start;
        this.end = end;
        this.dropCr = dropCr;
    }

    static DelimitedScanner lines(int maxFrame) {
        return new DelimitedScanner(null, new byte[]{'\n'}, true, maxFrame);
    }

    static DelimitedScanner stxEtx(int maxFrame) {
        return new DelimitedScanner(new byte[]{0x02}, new byte[]{0x03}, false, maxFrame);
    }

    @Override
    byte[] next(ByteBuf in) throws FramingException {
        while (true) {
            if (start.length > 0 && !inFrame) {
                int s = indexOf(in, in.readerIndex(), start);
                if (s < 0) { // noise: keep only what could be the beginning of a start sequence
                    in.readerIndex(Math.max(in.readerIndex(), in.writerIndex() - (start.length - 1)));
                    return null;
                }
                in.readerIndex(s + start.length);
                inFrame = true;
                scanned = 0;
            }
            int from = in.readerIndex();
            int searchFrom = from + Math.max(0, scanned - (end.length - 1));
            int e = indexOf(in, searchFrom, end);
            int restart = start.length > 0 ? indexOf(in, searchFrom, start) : -1;
            if (restart >= 0 && (e < 0 || restart < e)) { // a new frame began before this one ended
                in.readerIndex(restart + start.length);
                scanned = 0;
                continue;
            }
            if (e < 0) {
                scanned = in.writerIndex() - from;
                if (scanned - (end.length - 1) > maxFrame) {
                    throw tooLarge(in, from, over());
                }
                return null;
            }
            int length = e - from;
            if (dropCr && length > 0 && in.getByte(e - 1) == '\r') {
                length--;
            }
            if (length > maxFrame) {
                throw tooLarge(in, from, over());
            }
            byte[] frame = copy(in, from, length);
            in.readerIndex(e + end.length);
            inFrame = false;
            scanned = 0;
            if (frame.length > 0) {
                return frame;
            }
        }
    }

    /** With a start sequence: the frame after it (bytes before a start are noise); else whatever is left, unless blank. */
    @Override
    byte[] pending(ByteBuf in) {
        if (start.length > 0) {
            return inFrame && in.isReadable() ? copy(in, in.readerIndex(), in.readableBytes()) : null;
        }
        return super.pending(in);
    }

    @Override
    boolean begun(ByteBuf in) {
        return start.length > 0 ? inFrame : in.isReadable();
    }

    /** Index of {@code needle} in {@code in} from {@code from} to the writer index, or -1. */
    static int indexOf(ByteBuf in, int from, byte[] needle) {
        if (needle.length == 1) {
            return from >= in.writerIndex() ? -1 : in.indexOf(from, in.writerIndex(), needle[0]);
        }
        int last = in.writerIndex() - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (in.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
