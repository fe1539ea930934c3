package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.message.RejectedException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsoncDecoderTest {

    private final JsoncDecoder decoder = new JsoncDecoder();

    private JsonNode decode(String json) {
        return decoder.decode(TestMessages.text(json), Map.of()).tree();
    }

    private RejectedException rejected(String json) {
        RejectedException e = catchThrowableOfType(RejectedException.class, () -> decode(json));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }

    @Test
    void commentsAndTrailingCommasAreTolerated() {
        JsonNode tree = decode("""
                {
                  "type": "update", // new, update, end
                  /* the object before
                     this update */
                  "before": {
                    "id": "1607123955.475377-mxklsc",
                    "current_zones": ["driveway",],
                    "recognized_license_plate": "AB12CDE", // as read
                  },
                }
                """);
        assertThat(tree.path("type").asText()).isEqualTo("update");
        assertThat(tree.path("before").path("current_zones").size()).isEqualTo(1);
        assertThat(tree.path("before").path("recognized_license_plate").asText()).isEqualTo("AB12CDE");
    }

    @Test
    void slashesInsideStringsAreNotComments() {
        assertThat(decode("{\"url\": \"http://cam/x\" /* c */}").path("url").asText()).isEqualTo("http://cam/x");
    }

    @Test
    void truncatedOrTrailingOrEmptyIsUndecodable() {
        RejectedException truncated = rejected("{\"a\": 1, // c\n \"b\": [");
        assertThat(truncated.reason()).isEqualTo("undecodable");
        assertThat(truncated.detail()).startsWith("JSON ends unexpectedly at line 2");
        assertThat(rejected("{\"a\":1} // c\n {\"b\":2}").reason()).isEqualTo("undecodable");
        assertThat(rejected("// only a comment\n").detail()).contains("empty");
        assertThat(rejected("{\"a\": 1 /* never closed").reason()).isEqualTo("undecodable");
    }

    @Test
    void detailNeverEchoesPayloadText() {
        RejectedException e = rejected("{\"vrm\": AB12CDE // plate\n}");
        assertThat(e.detail()).doesNotContain("AB12CDE");
    }

    @Test
    void nestingDepthIsLimited() {
        assertThat(rejected("[".repeat(101) + "]".repeat(101)).reason()).isEqualTo("undecodable");
    }
}
