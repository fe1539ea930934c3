package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.message.RejectedException;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class KvDecoderTest {

    private final KvDecoder decoder = new KvDecoder();

    private JsonNode decode(byte[] payload, Map<String, String> options) {
        return decoder.decode(TestMessages.bytes(payload), options).tree();
    }

    private JsonNode decode(String text) {
        return decode(text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private RejectedException rejected(String text) {
        RejectedException e = catchThrowableOfType(RejectedException.class, () -> decode(text));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }

    @Test
    void dahuaEventLinesBecomeAFlatObject() {
        JsonNode tree = decode("Events[0].Code=TrafficJunction\r\nEvents[0].Lane=1\r\n"
                + "Events[0].TrafficCar.PlateNumber=AB12CDE\r\nEvents[0].CommInfo.Country=\r\n");
        assertThat(tree.size()).isEqualTo(4);
        assertThat(tree.path("Events[0].TrafficCar.PlateNumber").asText()).isEqualTo("AB12CDE");
        assertThat(tree.path("Events[0].Lane").isTextual()).isTrue();
        assertThat(tree.path("Events[0].CommInfo.Country").asText()).isEmpty();
    }

    @Test
    void splitsAtTheFirstEqualsTrimsKeysAndKeepsValues() {
        JsonNode tree = decode("  LPR0 =647CBA,ACT_PARAM0=Visitor\n time = 12:00 \r\nurl=http://x/?a=b");
        assertThat(tree.path("LPR0").asText()).isEqualTo("647CBA,ACT_PARAM0=Visitor");
        assertThat(tree.path("time").asText()).isEqualTo(" 12:00 "); // value as is, only the CR goes
        assertThat(tree.path("url").asText()).isEqualTo("http://x/?a=b");
    }

    @Test
    void blankAndCommentLinesAreSkipped() {
        JsonNode tree = decode("# heading\n\n   \n-- separator\r\na=1\n  # indented comment\nb=2\n");
        assertThat(tree.toString()).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
    }

    @Test
    void aRepeatedKeyBecomesAnArrayInOrder() {
        JsonNode tree = decode("plate=A\nlane=1\nplate=B\nplate=C\n");
        assertThat(tree.path("plate").toString()).isEqualTo("[\"A\",\"B\",\"C\"]");
        assertThat(tree.fieldNames()).toIterable().containsExactly("plate", "lane");
    }

    @Test
    void aLineWithoutEqualsIsUndecodable() {
        RejectedException e = rejected("a=1\r\n\r\nAB12CDE\r\nb=2");
        assertThat(e.reason()).isEqualTo("undecodable");
        assertThat(e.detail()).isEqualTo("line 3 is not key=value");
        assertThat(rejected("=value").detail()).isEqualTo("line 1 is not key=value");
    }

    @Test
    void noKeyValueLineIsUndecodable() {
        assertThat(rejected("").reason()).isEqualTo("undecodable");
        assertThat(rejected("# only\n\n-- comments\n").reason()).isEqualTo("undecodable");
    }

    @Test
    void invalidUtf8FallsBackToLatin1() {
        byte[] latin1 = "name=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(decode(latin1, Map.of()).path("name").asText()).isEqualTo("caf\u00e9");
        byte[] utf8 = "\uFEFFname=caf\u00e9\n".getBytes(StandardCharsets.UTF_8);
        assertThat(decode(utf8, Map.of()).path("name").asText()).isEqualTo("caf\u00e9");
    }

    @Test
    void charsetOption() {
        byte[] utf16 = "name=\u00e9t\u00e9\n".getBytes(StandardCharsets.UTF_16);
        assertThat(decode(utf16, Map.of("charset", "UTF-16")).path("name").asText()).isEqualTo("\u00e9t\u00e9");
        byte[] cp1252 = "euro=\u20ac\n".getBytes(Charset.forName("windows-1252"));
        assertThat(decode(cp1252, Map.of("charset", "windows-1252")).path("euro").asText()).isEqualTo("\u20ac");
        assertThatThrownBy(() -> decode(cp1252, Map.of("charset", "no-such-charset")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void textOfARangeAsciiUtf8OrLatin1() {
        byte[] b = "xxA=1\u00e9yy".getBytes(StandardCharsets.UTF_8);
        assertThat(KvDecoder.text(b, 2, 3, null)).isEqualTo("A=1"); // ASCII fast path
        assertThat(KvDecoder.text(b, 2, 5, null)).isEqualTo("A=1\u00e9"); // UTF-8
        assertThat(KvDecoder.text(b, 2, 4, null)).isEqualTo("A=1\u00c3"); // cut UTF-8 is not UTF-8: Latin-1
        assertThat(KvDecoder.text("\uFEFFk=v".getBytes(StandardCharsets.UTF_8), null)).isEqualTo("k=v");
        assertThat(KvDecoder.text(new byte[0], null)).isEmpty();
    }
}
