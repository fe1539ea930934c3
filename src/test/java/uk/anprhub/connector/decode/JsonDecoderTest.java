package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.message.RejectedException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

class JsonDecoderTest {

    private final JsonDecoder decoder = new JsonDecoder();

    private JsonNode decode(String json) {
        return decoder.decode(TestMessages.text(json), Map.of()).tree();
    }

    private RejectedException rejected(String json) {
        RejectedException e = catchThrowableOfType(RejectedException.class, () -> decode(json));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }

    @Test
    void documentIsTheTreeAsIs() {
        JsonNode tree = decode("{\"plateUTF8\": \"RLE11684\", \"geotag\": {\"lat\": 50.418114}, \"plateCoordinates\": [1185, 532]}");
        assertThat(tree.path("plateUTF8").asText()).isEqualTo("RLE11684");
        assertThat(tree.path("geotag").path("lat").asDouble()).isEqualTo(50.418114);
        assertThat(tree.path("plateCoordinates").isArray()).isTrue();
        assertThat(tree.path("plateCoordinates").get(1).asInt()).isEqualTo(532);
        assertThat(decoder.decode(TestMessages.text("{}"), Map.of()).attachments()).isEmpty();
    }

    @Test
    void topLevelArraysAndScalarsAndABomAreAccepted() {
        assertThat(decode("[{\"a\":1},{\"a\":2}]").size()).isEqualTo(2);
        assertThat(decode("\"x\"").asText()).isEqualTo("x");
        assertThat(decode("\uFEFF{\"a\":1}\n").path("a").asInt()).isEqualTo(1);
    }

    @Test
    void emptyPayloadIsUndecodable() {
        for (String empty : new String[]{"", "  \r\n "}) {
            RejectedException e = rejected(empty);
            assertThat(e.reason()).isEqualTo("undecodable");
            assertThat(e.detail()).contains("empty");
        }
    }

    @Test
    void trailingContentIsUndecodable() {
        RejectedException second = rejected("{\"a\":1} {\"b\":2}");
        assertThat(second.reason()).isEqualTo("undecodable");
        assertThat(second.detail()).contains("after the JSON value");
        assertThat(rejected("{\"a\":1} x").reason()).isEqualTo("undecodable");
        assertThat(rejected("{\"a\":1} }").reason()).isEqualTo("undecodable");
    }

    @Test
    void truncatedJsonSaysWhere() {
        RejectedException e = rejected("{\"a\":\n1,\n\"b\":");
        assertThat(e.reason()).isEqualTo("undecodable");
        assertThat(e.detail()).isEqualTo("JSON ends unexpectedly at line 3 column 5");
    }

    @Test
    void detailNeverEchoesPayloadText() {
        for (String bad : new String[]{"{\"vrm\": AB12CDE}", "{\"vrm\":\"AB12CDE", "{\"vrm\":\"AB12CDE\"} AB12CDE",
                "{AB12CDE: 1}", "{\"vrm\":\"AB12CDE\u0001\"}"}) {
            RejectedException e = rejected(bad);
            assertThat(e.reason()).isEqualTo("undecodable");
            assertThat(e.detail()).doesNotContain("AB12CDE").contains("line 1 column");
            assertThat(e.getCause()).isNull(); // Jackson's message quotes tokens
        }
    }

    @Test
    void commentsAndTrailingCommasAreNotJson() {
        assertThat(rejected("{\"a\":1 // c\n}").reason()).isEqualTo("undecodable");
        assertThat(rejected("[1,2,]").reason()).isEqualTo("undecodable");
    }

    @Test
    void nestingDepthIsLimitedTo100() {
        assertThat(decode("[".repeat(100) + "]".repeat(100)).isArray()).isTrue();
        RejectedException e = rejected("[".repeat(101) + "]".repeat(101));
        assertThat(e.reason()).isEqualTo("undecodable");
        assertThat(e.detail()).contains("limits");
    }

    @Test
    void stringLengthIsLimitedTo20Mb() {
        String big = "{\"a\":\"" + "x".repeat(20_000_001) + "\"}";
        assertThatThrownBy(() -> decode(big)).asInstanceOf(type(RejectedException.class))
                .satisfies(e -> assertThat(e.reason()).isEqualTo("undecodable"))
                .satisfies(e -> assertThat(e.detail()).contains("limits"));
    }

    /** Issue 10 item 18: with last-one-wins, {"vrm":"A","vrm":"B"} meant B to the hub and maybe A to whoever checked. */
    @Test
    void aDuplicateKeyIsUndecodableWithoutQuotingIt() {
        RejectedException e = rejected("{\"vrm\":\"AB12CDE\",\"cam\":{\"x\":1,\"x\":2},\"vrm\":\"XY99ZZZ\"}");
        assertThat(e.reason()).isEqualTo("undecodable");
        assertThat(e.detail()).contains("duplicate field name").doesNotContain("XY99ZZZ").doesNotContain("AB12CDE");
    }

    /** Issue 10 item 4: a huge array is refused while parsing, before its tree is built. */
    @Test
    void anArrayOrObjectOverTheEntryCapIsTooManyReads() {
        int cap = EntryCap.MAX_ENTRIES;
        assertThat(decode("[" + "1,".repeat(cap - 1) + "1]").size()).isEqualTo(cap);
        assertThat(rejected("[" + "{},".repeat(cap) + "{}]").reason()).isEqualTo("too-many-reads");
        assertThat(rejected("[" + "1,".repeat(4 * cap)).reason()).isEqualTo("too-many-reads"); // even unterminated
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i <= cap; i++) {
            wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":0");
        }
        assertThat(rejected(wide.append('}').toString()).reason()).isEqualTo("too-many-reads");
    }
}
