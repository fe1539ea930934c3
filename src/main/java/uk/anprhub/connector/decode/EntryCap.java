package uk.anprhub.connector.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import uk.anprhub.message.RejectedException;

import java.io.IOException;

/**
 * Refuses, while parsing, a message with an array or object of more than {@link #MAX_ENTRIES} entries (quarantine
 * {@code too-many-reads}): a 9 MB array of 4.5 million elements is refused after the first hundred thousand,
 * before the tree, the mapping or the reads are built. The hub's configured reads-per-message cap (at most this)
 * is applied to the mapping's output.
 */
final class EntryCap extends JsonParserDelegate {

    /** Entries of one array or object; ten times the default reads-per-message cap. */
    static final int MAX_ENTRIES = 100_000;

    /** Entries so far of each open container, innermost last (counted here: XML parsers keep no such count). */
    private int[] entries = new int[16];
    private boolean[] inObject = new boolean[16];
    private int depth = -1;

    private EntryCap(JsonParser parser) {
        super(parser);
    }

    static JsonParser of(JsonParser parser) {
        return new EntryCap(parser);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        return counted(super.nextToken());
    }

    /** Through {@link #nextToken} like the other next* methods (the delegate would pass this one by). */
    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = nextToken();
        return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    /** An entry is a field name in an object, a value (scalar or container) in an array. */
    private JsonToken counted(JsonToken t) {
        if (t == null) {
            return null;
        }
        if (t.isStructEnd()) {
            depth = Math.max(depth - 1, -1); // an unbalanced close is the parser's to report
            return t;
        }
        if (depth >= 0 && (!inObject[depth] || t == JsonToken.FIELD_NAME) && ++entries[depth] > MAX_ENTRIES) {
            throw tooMany();
        }
        if (t.isStructStart()) {
            if (++depth == entries.length) {
                entries = java.util.Arrays.copyOf(entries, depth * 2);
                inObject = java.util.Arrays.copyOf(inObject, depth * 2);
            }
            entries[depth] = 0;
            inObject[depth] = t == JsonToken.START_OBJECT;
        }
        return t;
    }

    static RejectedException tooMany() {
        return new RejectedException("too-many-reads", "an array or object of the message has more than "
                + MAX_ENTRIES + " entries");
    }
}
