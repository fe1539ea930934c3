package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.message.RejectedException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TextDecoderTest {

    private static final String FRAME = "\\s*(?<time>\\d{14})\\s*(?<camera>\\d{2})\\s*(?<plate>\\S(?:.*\\S)?)\\s*";

    private final Decoder decoder = Decoders.byName("text").bind(Map.of("pattern", FRAME));

    private JsonNode decode(String text) {
        return decoder.decode(TestMessages.text(text), Map.of()).tree();
    }

    @Test
    void theNamedGroupsOfAFixedLayoutFrameBecomeFields() {
        JsonNode tree = decode("20241210143455 07 AB12CDE");
        assertThat(tree.path("time").asText()).isEqualTo("20241210143455");
        assertThat(tree.path("camera").asText()).isEqualTo("07");
        assertThat(tree.path("plate").asText()).isEqualTo("AB12CDE");
        assertThat(tree.size()).isEqualTo(3);
        assertThat(decode("2024121014345507Not defined").path("plate").asText()).isEqualTo("Not defined");
        JsonNode noBlanks = decode("2024071008152207LX70KWP");
        assertThat(noBlanks.path("camera").asText()).isEqualTo("07");
        assertThat(noBlanks.path("plate").asText()).isEqualTo("LX70KWP");
    }

    @Test
    void aGroupThatTookNoPartIsNull() {
        Decoder d = new TextDecoder().bind(Map.of("pattern", "(?<a>x)?(?<b>y)"));
        JsonNode tree = d.decode(TestMessages.text("y"), Map.of()).tree();
        assertThat(tree.get("a").isNull()).isTrue();
        assertThat(tree.path("b").asText()).isEqualTo("y");
    }

    @Test
    void aFrameThatDoesNotMatchIsUndecodableWithoutItsTextInTheDetail() {
        RejectedException e = catchThrowableOfType(RejectedException.class, () -> decode("2024121014 07 AB12CDE"));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo("undecodable");
        assertThat(e.detail()).doesNotContain("AB12CDE").doesNotContain("2024121014");
        // the pattern must match the whole text, not a part of it
        assertThat(catchThrowableOfType(RejectedException.class, () -> decode("20241210143455 07 AB12CDE\u0003junk")))
                .isNull(); // \S(?:.*\S)? takes it: the plate group is greedy by design; the ETX is the framing's job
        Decoder strict = new TextDecoder().bind(Map.of("pattern", "(?<plate>[A-Z0-9]+)"));
        assertThat(catchThrowableOfType(RejectedException.class,
                () -> strict.decode(TestMessages.text("AB12CDE junk"), Map.of())).reason()).isEqualTo("undecodable");
    }

    @Test
    void anOverlongTextIsRefusedBeforeMatching() {
        RejectedException e = catchThrowableOfType(RejectedException.class,
                () -> decode("1".repeat(TextDecoder.MAX_LENGTH + 1)));
        assertThat(e.reason()).isEqualTo("undecodable");
        assertThat(e.detail()).contains("limit");
    }

    @Test
    void aBadPatternOrNoNamedGroupIsRefusedAtBind() {
        assertThatThrownBy(() -> new TextDecoder().bind(Map.of("pattern", "(?<plate>[A-Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid regular expression");
        assertThatThrownBy(() -> new TextDecoder().bind(Map.of("pattern", "[A-Z]+")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no group");
        assertThatThrownBy(() -> new TextDecoder().bind(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pattern'");
        assertThatThrownBy(() -> new TextDecoder().bind(Map.of("pattern", "(?<a>.)", "charset", "nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("charset");
    }

    @Test
    void latin1TextIsRead() {
        Decoder d = new TextDecoder().bind(Map.of("pattern", "(?<plate>.+)", "charset", "ISO-8859-1"));
        assertThat(d.decode(TestMessages.bytes(new byte[]{'A', (byte) 0xC4}), Map.of()).tree().path("plate").asText())
                .isEqualTo("AÄ");
    }
}
