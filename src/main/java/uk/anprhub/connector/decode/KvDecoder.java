package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;

/**
 * {@code key=value} lines (Dahua, LILIN event text) to a flat object keyed by the full key, e.g.
 * {@code {"Events[0].TrafficCar.PlateNumber": "..."}}; a repeated key becomes an array of its values in order.
 * Option {@code charset} (default UTF-8; text that is not valid UTF-8 is read as ISO-8859-1).
 */
public final class KvDecoder implements Decoder {

    public KvDecoder() {
    }

    @Override
    public Decoded decode(RawMessage message, Map<String, String> options) {
        String name = options == null ? null : options.get("charset");
        Charset charset = charset(name);
        if (name != null && !name.isBlank() && charset == null) {
            throw new IllegalArgumentException("kv decoder: unknown charset option '" + name + "'");
        }
        return Decoded.of(parse(text(message.payload(), charset), true));
    }

    /**
     * The key=value object, or (when not strict) null if a non-blank line is not key=value or there is none;
     * strict parsing throws {@code undecodable} instead.
     */
    static ObjectNode parse(String text, boolean strict) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        int lineNo = 0;
        for (int start = 0; start < text.length(); ) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            lineNo++;
            String lead = line.stripLeading();
            if (lead.isEmpty() || lead.startsWith("#") || lead.startsWith("--")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (key.isEmpty()) {
                if (!strict) {
                    return null;
                }
                throw new RejectedException("undecodable", "line " + lineNo + " is not key=value");
            }
            add(tree, key, line.substring(eq + 1));
        }
        if (tree.isEmpty()) {
            if (!strict) {
                return null;
            }
            throw new RejectedException("undecodable", "no key=value line in the payload");
        }
        return tree;
    }

    private static void add(ObjectNode tree, String key, String value) {
        JsonNode seen = tree.get(key);
        if (seen == null) {
            tree.put(key, value);
        } else if (seen instanceof ArrayNode values) {
            if (values.size() >= EntryCap.MAX_ENTRIES) {
                throw EntryCap.tooMany();
            }
            values.add(value);
        } else {
            tree.putArray(key).add(seen).add(value); // replaces the single value, keeping the key's position
        }
    }

    /** The named charset, or null when the name is blank or unknown. */
    static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return Charset.forName(name.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }

    /**
     * Bytes to text: in the given charset, or when it is null or UTF-8, in UTF-8 if the bytes are valid UTF-8
     * and ISO-8859-1 otherwise (older cameras send Latin-1 without saying so). A leading BOM is dropped.
     */
    static String text(byte[] bytes, Charset charset) {
        return text(bytes, 0, bytes.length, charset);
    }

    /** {@link #text(byte[], Charset)} of {@code len} bytes from {@code off}. */
    static String text(byte[] bytes, int off, int len, Charset charset) {
        String text;
        if (charset == null || charset.equals(StandardCharsets.UTF_8)) {
            if (isAscii(bytes, off, len)) {
                return new String(bytes, off, len, StandardCharsets.ISO_8859_1); // no decoder for the usual case
            }
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, off, len)).toString();
            } catch (CharacterCodingException e) {
                text = new String(bytes, off, len, StandardCharsets.ISO_8859_1);
            }
        } else {
            text = new String(bytes, off, len, charset);
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static boolean isAscii(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
