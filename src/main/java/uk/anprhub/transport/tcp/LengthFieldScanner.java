package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;

import java.nio.ByteOrder;

/**
 * Length-prefixed frames: {@code offset} bytes (e.g. a magic number), a length field of 1, 2, 4 or 8 bytes in
 * either byte order, then {@code value + adjustment} bytes. The first {@code strip} bytes (by default the header:
 * offset + field) are dropped before ingest. The frame size is known from the header, so an oversize frame is
 * refused before its body arrives.
 */
final class LengthFieldScanner extends FrameScanner {

    private final int offset;
    private final int fieldLength;
    private final ByteOrder order;
    private final long adjustment;
    private final int strip;

    LengthFieldScanner(int offset, int fieldLength, ByteOrder order, long adjustment, Integer strip, int maxFrame) {
        super(maxFrame);
        if (fieldLength != 1 && fieldLength != 2 && fieldLength != 4 && fieldLength != 8) {
            throw new IllegalArgumentException("length-bytes must be 1, 2, 4 or 8, not " + fieldLength);
        }
        if (offset < 0 || (strip != null && strip < 0)) {
            throw new IllegalArgumentException("length-offset and strip must not be negative");
        }
        this.offset = offset;
        this.fieldLength = fieldLength;
        this.order = order;
        this.adjustment = adjustment;
        this.strip = strip == null ? offset + fieldLength : strip;
    }

    @Override
    byte[] next(ByteBuf in) throws FramingException {
        int from = in.readerIndex();
        int header = offset + fieldLength;
        if (in.readableBytes() < header) {
            return null;
        }
        long value = fieldValue(in, from + offset);
        if (value < 0) { // an 8-byte field above Long.MAX_VALUE
            throw tooLarge(in, from, "length field exceeds 2^63");
        }
        long frameLength;
        try {
            frameLength = Math.addExact(Math.addExact(header, value), adjustment);
        } catch (ArithmeticException e) {
            throw tooLarge(in, from, "length field " + value + " overflows");
        }
        if (frameLength < header || frameLength < strip) {
            throw undecodable(in, from, "length field " + value + " gives a frame of " + frameLength
                    + " bytes, shorter than its header");
        }
        if (frameLength > maxFrame) {
            throw tooLarge(in, from, over() + " (length field says " + frameLength + ")");
        }
        if (in.readableBytes() < frameLength) {
            return null;
        }
        byte[] frame = copy(in, from + strip, (int) frameLength - strip);
        in.readerIndex(from + (int) frameLength);
        return frame;
    }

    private long fieldValue(ByteBuf in, int at) {
        boolean little = order == ByteOrder.LITTLE_ENDIAN;
        return switch (fieldLength) {
            case 1 -> in.getUnsignedByte(at);
            case 2 -> little ? in.getUnsignedShortLE(at) : in.getUnsignedShort(at);
            case 4 -> little ? in.getUnsignedIntLE(at) : in.getUnsignedInt(at);
            default -> little ? in.getLongLE(at) : in.getLong(at);
        };
    }
}
