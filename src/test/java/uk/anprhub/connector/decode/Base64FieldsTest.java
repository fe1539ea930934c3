package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import org.junit.jupiter.api.Test;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.Base64Text;

import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class Base64FieldsTest {

    private final Decoder plain = new JsonDecoder();
    private final Decoder spans = new JsonDecoder().bind(Map.of("base64-fields", "plateImage.data, overviewImage.data"));

    private JsonNode decode(Decoder d, String json) {
        return d.decode(TestMessages.text(json), Map.of()).tree();
    }

    @Test
    void plainBase64OfANamedFieldIsASpanOfThePayloadEverythingElseAsBefore() {
        byte[] picture = new byte[5000];
        new java.util.Random(1).nextBytes(picture);
        String b64 = Base64.getEncoder().encodeToString(picture);
        String json = "[{\"vrm\":\"AB12CDE\",\"overviewImage\":{\"data\":\"" + b64 + "\",\"contentType\":\"image/jpeg\"},"
                + "\"plateImage\":{\"contentType\":\"image/png\",\"data\" : \n \"QUJD\"},\"n\":1.5},"
                + "{\"vrm\":\"X1\",\"data\":\"QUJD\",\"other\":{\"data\":\"QUJD\"}}]";
        JsonNode tree = decode(spans, json);
        JsonNode overview = tree.get(0).get("overviewImage").get("data");
        assertThat(overview).isInstanceOf(POJONode.class);
        Base64Text span = (Base64Text) ((POJONode) overview).getPojo();
        assertThat(span.text()).as("no text built").isNull();
        assertThat(span.toString()).isEqualTo(b64);
        assertThat(span.decodeSpan()).isEqualTo(picture);
        assertThat(((Base64Text) ((POJONode) tree.get(0).get("plateImage").get("data")).getPojo()).decodeSpan())
                .isEqualTo("ABC".getBytes());
        // fields not named stay text; the rest of the tree is the tree without the option
        assertThat(tree.get(1)).isEqualTo(decode(plain, json).get(1));
        assertThat(tree.get(0).get("vrm")).isEqualTo(decode(plain, json).get(0).get("vrm"));
        assertThat(tree.get(0).get("n")).isEqualTo(decode(plain, json).get(0).get("n"));
        assertThat(tree.get(0).get("plateImage").get("contentType").asText()).isEqualTo("image/png");
    }

    @Test
    void anythingButPlainBase64StaysTextAsBefore() {
        for (String value : new String[]{"", "QU JD", "QUJD\\n", "data:image/jpeg;base64,QUJD", "QUJ\\u0044", "not base64!",
                "\u00e9t\u00e9"}) {
            String json = "{\"plateImage\":{\"data\":\"" + value + "\"}}";
            JsonNode tree = decode(spans, json);
            assertThat(tree).as(value).isEqualTo(decode(plain, json));
            assertThat(tree.get("plateImage").get("data").isTextual()).as(value).isTrue();
        }
        // a number or an object in the field is not a string: as before
        assertThat(decode(spans, "{\"plateImage\":{\"data\":12}}")).isEqualTo(decode(plain, "{\"plateImage\":{\"data\":12}}"));
    }

    @Test
    void malformedJsonAroundASpanIsRefusedAsBefore() {
        for (String json : new String[]{
                "{\"plateImage\":{\"data\":\"QUJD\",\"data\":\"QUJD\"}}", // duplicate field
                "{\"plateImage\":{\"data\":\"QUJD\"", // ends early
                "{\"plateImage\":{\"data\":\"QUJD\" \"x\":1}}", // missing comma
                "{\"plateImage\":{\"data\":\"QUJD", // unterminated string
                "{\"plateImage\":{\"data\":\"QUJD\"}} {}"}) { // trailing content
            RejectedException was = catchThrowableOfType(RejectedException.class, () -> decode(plain, json));
            RejectedException now = catchThrowableOfType(RejectedException.class, () -> decode(spans, json));
            assertThat(was).as(json).isNotNull();
            assertThat(now).as(json).isNotNull();
            assertThat(now.reason()).as(json).isEqualTo(was.reason());
            assertThat(now.detail()).as(json).isEqualTo(was.detail());
        }
    }

    @Test
    void aFieldNameIsNeverTakenForItsValue() {
        // "data" as a key whose name looks like base64 and whose value is not a string
        String json = "{\"plateImage\":{\"data\":{\"QUJD\":\"QUJD\"}}}";
        assertThat(decode(spans, json)).isEqualTo(decode(plain, json));
    }

    @Test
    void badOptionRefusesTheConnector() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JsonDecoder().bind(Map.of("base64-fields", "data")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parent.field");
    }
}
