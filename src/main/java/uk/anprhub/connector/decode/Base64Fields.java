package uk.anprhub.connector.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import uk.anprhub.model.Base64Text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands the string values of the named fields (e.g. {@code overviewImage.data}: a field {@code data} of an object that
 * is the value of a field {@code overviewImage}, at any depth) to the tree as a {@link Base64Text} span of the payload
 * instead of a string, when the value is plain base64 (alphabet and padding only). Jackson then skips the string
 * without building its text; the picture is decoded once, from the payload, by the normaliser. Any other value (an
 * escape, whitespace, a {@code data:} prefix, an empty string) is left to the parser as before, so what is refused and
 * why does not change.
 */
final class Base64Fields extends JsonParserDelegate {

    /** A field: its name and the name of the field whose object holds it. */
    record Field(String parent, String name) {
    }

    private final byte[] payload;
    private final List<Field> fields;
    private final int maxLength;
    private Base64Text span; // the current token's, or null

    private Base64Fields(JsonParser parser, byte[] payload, List<Field> fields, int maxLength) {
        super(parser);
        this.payload = payload;
        this.fields = fields;
        this.maxLength = maxLength;
    }

    /** @param payload the bytes {@code parser} reads from offset 0 */
    static JsonParser of(JsonParser parser, byte[] payload, List<Field> fields, int maxLength) {
        return fields.isEmpty() ? parser : new Base64Fields(parser, payload, fields, maxLength);
    }

    /** {@code plateImage.data, overviewImage.data}: each {@code parent.name}; a bad entry throws. */
    static List<Field> parse(String option) {
        List<Field> out = new ArrayList<>();
        if (option == null || option.isBlank()) {
            return out;
        }
        for (String f : option.split(",")) {
            String[] p = f.strip().split("\\.");
            if (p.length != 2 || p[0].isEmpty() || p[1].isEmpty()) {
                throw new IllegalArgumentException("base64-fields: '" + f.strip() + "' is not parent.field");
            }
            out.add(new Field(p[0], p[1]));
        }
        return List.copyOf(out);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken t = super.nextToken();
        span = t == JsonToken.VALUE_STRING && named() ? span() : null;
        return span != null ? JsonToken.VALUE_EMBEDDED_OBJECT : t;
    }

    /** Through {@link #nextToken}: the delegate would pass these by. */
    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = nextToken();
        return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    @Override
    public String nextTextValue() throws IOException {
        return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
    }

    /** The others that move on (the tree's deserializer walks objects by field name) leave no span behind. */
    @Override
    public String nextFieldName() throws IOException {
        span = null;
        return super.nextFieldName();
    }

    @Override
    public boolean nextFieldName(SerializableString name) throws IOException {
        span = null;
        return super.nextFieldName(name);
    }

    @Override
    public int nextIntValue(int defaultValue) throws IOException {
        span = null;
        return super.nextIntValue(defaultValue);
    }

    @Override
    public long nextLongValue(long defaultValue) throws IOException {
        span = null;
        return super.nextLongValue(defaultValue);
    }

    @Override
    public Boolean nextBooleanValue() throws IOException {
        span = null;
        return super.nextBooleanValue();
    }

    @Override
    public void clearCurrentToken() {
        span = null;
        super.clearCurrentToken();
    }

    private boolean named() {
        JsonStreamContext ctx = delegate.getParsingContext();
        JsonStreamContext parent = ctx == null ? null : ctx.getParent();
        if (ctx == null || !ctx.inObject() || parent == null) {
            return false;
        }
        String name = ctx.getCurrentName();
        String parentName = parent.getCurrentName();
        for (Field f : fields) {
            if (f.name().equals(name) && f.parent().equals(parentName)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value as a span when it is plain base64, else null. Checked on the payload: the token starts at its opening
     * quote, which follows a colon (so it is a value, never a field name).
     */
    private Base64Text span() {
        long at = delegate.currentTokenLocation().getByteOffset();
        if (at < 1 || at >= payload.length || payload[(int) at] != '"' || !afterColon((int) at)) {
            return null;
        }
        int start = (int) at + 1;
        int i = start;
        int end = Math.min(payload.length, start + maxLength + 1);
        byte[] p = payload;
        while (i < end && BASE64[p[i] & 0xff]) {
            i++;
        }
        if (i == end || payload[i] != '"' || i == start) {
            return null; // too long, not plain base64, or empty: the parser reads it as text, as before
        }
        return Base64Text.span(payload, start, i - start);
    }

    private boolean afterColon(int quote) {
        int j = quote - 1;
        while (j >= 0 && (payload[j] == ' ' || payload[j] == '\t' || payload[j] == '\n' || payload[j] == '\r')) {
            j--;
        }
        return j >= 0 && payload[j] == ':';
    }

    /** The bytes of plain base64: its alphabet and the padding (a table: the loop over a 1 MB picture is hot). */
    private static final boolean[] BASE64 = new boolean[256];

    static {
        for (byte c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".getBytes(StandardCharsets.US_ASCII)) {
            BASE64[c] = true;
        }
    }

    @Override
    public JsonToken currentToken() {
        return span != null ? JsonToken.VALUE_EMBEDDED_OBJECT : super.currentToken();
    }

    @Override
    @Deprecated
    public JsonToken getCurrentToken() {
        return currentToken();
    }

    @Override
    public int currentTokenId() {
        return span != null ? JsonTokenId.ID_EMBEDDED_OBJECT : super.currentTokenId();
    }

    @Override
    @Deprecated
    public int getCurrentTokenId() {
        return currentTokenId();
    }

    @Override
    public boolean hasTokenId(int id) {
        return span != null ? id == JsonTokenId.ID_EMBEDDED_OBJECT : super.hasTokenId(id);
    }

    @Override
    public boolean hasToken(JsonToken t) {
        return span != null ? t == JsonToken.VALUE_EMBEDDED_OBJECT : super.hasToken(t);
    }

    @Override
    public Object getEmbeddedObject() throws IOException {
        return span != null ? span : super.getEmbeddedObject();
    }

    @Override
    public String getText() throws IOException {
        return span != null ? span.toString() : super.getText();
    }
}
