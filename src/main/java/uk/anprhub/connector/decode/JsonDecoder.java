package uk.anprhub.connector.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The payload is one JSON document; the tree is that document as is. Error details give positions and a
 * structural description only, never token text: payloads carry plates (personal data).
 */
public final class JsonDecoder implements Decoder {

    static final int MAX_DEPTH = 100;
    static final int MAX_STRING_LENGTH = 20_000_000;

    /** Option: {@code parent.field, ...}, the fields whose plain-base64 strings are kept as spans ({@link Base64Fields}). */
    static final String BASE64_FIELDS = "base64-fields";

    private static final ObjectMapper MAPPER = mapper(new JsonFactoryBuilder());

    private final List<Base64Fields.Field> base64Fields;

    public JsonDecoder() {
        this(List.of());
    }

    private JsonDecoder(List<Base64Fields.Field> base64Fields) {
        this.base64Fields = base64Fields;
    }

    @Override
    public Decoded decode(RawMessage message, Map<String, String> options) {
        return Decoded.of(parse(MAPPER, message.payload(), base64Fields));
    }

    @Override
    public Decoder bind(Map<String, String> options) {
        List<Base64Fields.Field> fields = Base64Fields.parse(options.get(BASE64_FIELDS));
        return fields.isEmpty() ? this : new JsonDecoder(fields);
    }

    /** Parses strict JSON; shared with the multipart decoder for JSON parts. */
    static JsonNode parse(byte[] bytes) {
        return parse(MAPPER, bytes);
    }

    /** One configuration for strict JSON and JSONC, so limits and error reporting cannot drift apart. */
    static ObjectMapper mapper(JsonFactoryBuilder builder) {
        JsonFactory factory = builder
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_STRING_LENGTH).build())
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION) // never quote the payload in messages
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // {"vrm":"A","vrm":"B"} is ambiguous: refused
                .build();
        return JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    static JsonNode parse(ObjectMapper mapper, byte[] bytes) {
        return parse(mapper, bytes, List.of());
    }

    static JsonNode parse(ObjectMapper mapper, byte[] bytes, List<Base64Fields.Field> base64Fields) {
        JsonNode tree;
        try {
            tree = mapper.readTree(Base64Fields.of(EntryCap.of(mapper.createParser(bytes)), bytes, base64Fields,
                    MAX_STRING_LENGTH));
        } catch (IOException e) {
            // no cause attached: Jackson's own message quotes tokens, which may be plates
            throw new RejectedException("undecodable", describe(e));
        }
        if (tree == null || tree.isMissingNode()) {
            throw new RejectedException("undecodable", "empty JSON payload");
        }
        return tree;
    }

    private static String describe(IOException e) {
        if (e instanceof StreamConstraintsException) {
            return "JSON exceeds the parser limits (nesting depth " + MAX_DEPTH + ", string length "
                    + MAX_STRING_LENGTH / 1_000_000 + " MB)";
        }
        String what;
        if (e instanceof JsonEOFException) {
            what = "JSON ends unexpectedly";
        } else if (e instanceof MismatchedInputException) {
            what = "unexpected content after the JSON value"; // FAIL_ON_TRAILING_TOKENS
        } else {
            what = "malformed JSON (" + kind(e.getMessage()) + ")";
        }
        JsonLocation at = e instanceof JsonProcessingException p ? p.getLocation() : null;
        return at == null || at.getLineNr() < 1 ? what
                : what + " at line " + at.getLineNr() + " column " + at.getColumnNr();
    }

    /** A fixed description chosen from Jackson's message, so no token text leaks into the detail. */
    private static String kind(String message) {
        String m = message == null ? "" : message;
        if (m.startsWith("Unrecognized token")) {
            return "unrecognised token";
        }
        if (m.startsWith("Unexpected close marker")) {
            return "unbalanced closing bracket";
        }
        if (m.startsWith("Illegal unquoted character")) {
            return "unescaped control character in a string";
        }
        if (m.contains("double-quote to start field name")) {
            return "expected a quoted field name";
        }
        if (m.startsWith("Duplicate field")) {
            return "duplicate field name";
        }
        if (m.startsWith("Unexpected character")) {
            return "unexpected character";
        }
        if (m.contains("Invalid UTF-8")) {
            return "invalid UTF-8";
        }
        return "syntax error";
    }
}
