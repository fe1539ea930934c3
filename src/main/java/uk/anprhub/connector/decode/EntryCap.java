package uk.anprhub.connector.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import uk.anprhub.read.RejectedException;

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

    private EntryCap(JsonParser parser) {
        super(parser);
    }

    static JsonParser of(JsonParser parser) {
        return new EntryCap(parser);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken t = super.nextToken();
        check();
        return t;
    }

    @Override
    public String nextFieldName() throws IOException {
        String name = super.nextFieldName();
        check();
        return name;
    }

    private void check() {
        JsonStreamContext context = getParsingContext();
        if (context != null && context.getEntryCount() > MAX_ENTRIES) {
            throw tooMany();
        }
    }

    static RejectedException tooMany() {
        return new RejectedException("too-many-reads", "an array or object of the message has more than "
                + MAX_ENTRIES + " entries");
    }
}
