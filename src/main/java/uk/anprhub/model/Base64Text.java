package uk.anprhub.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The base64 text of an inline picture ({@code VendorRead.Image.base64}): either a string, or a span of the payload's
 * own bytes that a decoder found to be plain base64 (alphabet and padding only, no escapes, no whitespace) without
 * building the string. The span spares the hot path the picture's text: for a 1 MB picture the parser's text buffer,
 * the string and its byte copy were ~6 MB of the ~8 MB allocated per body (docs/performance.md).
 */
@JsonDeserialize(using = Base64Text.Deserializer.class)
public final class Base64Text {

    private final String text;
    private final byte[] source;
    private final int offset;
    private final int length;

    private Base64Text(String text, byte[] source, int offset, int length) {
        this.text = text;
        this.source = source;
        this.offset = offset;
        this.length = length;
    }

    public static Base64Text of(String text) {
        return text == null ? null : new Base64Text(text, null, 0, text.length());
    }

    /** {@code length} bytes of {@code source} from {@code offset}, each in [A-Za-z0-9+/=] (the caller checked). */
    public static Base64Text span(byte[] source, int offset, int length) {
        return new Base64Text(null, source, offset, length);
    }

    /** The text as sent, or null for a span (its text is only built by {@link #toString}). */
    public String text() {
        return text;
    }

    /** Characters of the text. */
    public int length() {
        return length;
    }

    /**
     * The decoded bytes of a span, with the strict decoder ({@code Base64.getDecoder()}); throws
     * {@link IllegalArgumentException} like it. Only for a span: a string needs the cleaning of the normaliser first.
     */
    public byte[] decodeSpan() {
        if (source == null) {
            throw new IllegalStateException("not a span");
        }
        ByteBuffer out = Base64.getDecoder().decode(ByteBuffer.wrap(source, offset, length));
        byte[] a = out.array();
        return out.arrayOffset() == 0 && out.position() == 0 && out.limit() == a.length ? a
                : Arrays.copyOfRange(a, out.arrayOffset() + out.position(), out.arrayOffset() + out.limit());
    }

    @Override
    public String toString() {
        return text != null ? text : new String(source, offset, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * A span arrives as an embedded object of the tree (its {@code POJONode}); anything else is read as the string it
     * was before this type existed, with the same coercions and the same errors.
     */
    static final class Deserializer extends StdDeserializer<Base64Text> {

        Deserializer() {
            super(Base64Text.class);
        }

        @Override
        public Base64Text deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_EMBEDDED_OBJECT && p.getEmbeddedObject() instanceof Base64Text b) {
                return b;
            }
            return of(ctxt.readValue(p, String.class));
        }
    }
}
