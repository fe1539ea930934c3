package uk.anprhub.connector.decode;

import com.ctc.wstx.stax.WstxInputFactory;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.anprhub.message.RejectedException;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class XmlDecoderTest {

    private final XmlDecoder decoder = new XmlDecoder();

    private JsonNode decode(String xml) {
        return decode(xml.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode decode(byte[] xml) {
        return decoder.decode(TestMessages.bytes(xml), Map.of()).tree();
    }

    private RejectedException rejected(byte[] xml) {
        RejectedException e = catchThrowableOfType(RejectedException.class, () -> decode(xml));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }

    private RejectedException rejected(String xml) {
        return rejected(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertUnsafe(RejectedException e) {
        assertThat(e.reason()).isEqualTo("unsafe-xml");
        assertThat(e.detail()).isEqualTo("XML with a DOCTYPE/entity declaration is refused");
    }

    // ---- tree shape ----

    @Test
    void hikvisionAlertWithDefaultNamespace() {
        JsonNode tree = decode("""
                <?xml version="1.0" encoding="UTF-8"?>
                <EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
                  <ipAddress>10.199.27.128</ipAddress>
                  <channelID>1</channelID>
                  <ANPR>
                    <licensePlate>PECT600</licensePlate>
                    <pictureInfoList>
                      <pictureInfo><fileName>licensePlatePicture.jpg</fileName></pictureInfo>
                      <pictureInfo><fileName>detectionPicture.jpg</fileName>
                        <plateRect><X>691</X><Y>397</Y></plateRect></pictureInfo>
                    </pictureInfoList>
                  </ANPR>
                  <monitoringSiteID></monitoringSiteID>
                  <isDataRetransmission>false</isDataRetransmission>
                </EventNotificationAlert>
                """);
        assertThat(tree.has("EventNotificationAlert")).isFalse(); // root name dropped
        assertThat(tree.path("version").asText()).isEqualTo("2.0"); // root attribute is a field
        assertThat(tree.has("xmlns")).isFalse(); // namespace declarations are not attributes
        assertThat(tree.path("channelID").isTextual()).isTrue(); // XML has no numbers: all text
        assertThat(tree.path("ANPR").path("licensePlate").asText()).isEqualTo("PECT600");
        JsonNode pictures = tree.path("ANPR").path("pictureInfoList").path("pictureInfo");
        assertThat(pictures.isArray()).isTrue();
        assertThat(pictures.get(1).path("plateRect").path("X").asText()).isEqualTo("691");
        assertThat(tree.path("monitoringSiteID").asText()).isEmpty(); // empty element -> ""
        assertThat(tree.path("isDataRetransmission").asText()).isEqualTo("false");
    }

    @Test
    void soapEnvelopeLosesRootAndPrefixes() {
        JsonNode tree = decode("""
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:bof2">
                  <soapenv:Header/>
                  <soapenv:Body>
                    <ns:sendCapture>
                      <ns:vrm>AB12CDE</ns:vrm>
                      <ns:confidence>97</ns:confidence>
                    </ns:sendCapture>
                  </soapenv:Body>
                </soapenv:Envelope>
                """);
        assertThat(tree.path("Body").path("sendCapture").path("vrm").asText()).isEqualTo("AB12CDE");
        assertThat(tree.path("Header").asText()).isEmpty();
    }

    @Test
    void repeatedElementsBecomeArraysEvenWhenNotAdjacent() {
        JsonNode tree = decode("<r><a>1</a><b>x</b><a>2</a><a/><one><i>1</i></one></r>");
        assertThat(tree.path("a").toString()).isEqualTo("[\"1\",\"2\",\"\"]");
        assertThat(tree.path("b").asText()).isEqualTo("x");
        // a single occurrence stays an object, not a one-element array
        assertThat(tree.path("one").path("i").isTextual()).isTrue();
    }

    @Test
    void attributesAreFieldsAndTextNextToThemIsUnderEmptyKey() {
        JsonNode tree = decode("<r><plate conf=\"97\">AB12CDE</plate><img type=\"jpg\"/><p>a &amp; b &lt; &#65;</p></r>");
        assertThat(tree.path("plate").path("conf").asText()).isEqualTo("97");
        assertThat(tree.path("plate").path("").asText()).isEqualTo("AB12CDE");
        assertThat(tree.path("img").path("type").asText()).isEqualTo("jpg");
        assertThat(tree.path("img").has("")).isFalse();
        assertThat(tree.path("p").asText()).isEqualTo("a & b < A"); // predefined and character entities expand
    }

    @Test
    void quirksMappingWritersMeet() {
        // an attribute and a child element of the same name merge into one array
        assertThat(decode("<r a=\"1\"><a>2</a></r>").path("a").toString()).isEqualTo("[\"1\",\"2\"]");
        // xsi:nil gives null
        assertThat(decode("<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><a xsi:nil=\"true\"/></r>")
                .path("a").isNull()).isTrue();
        // the same local name in two namespaces collides into an array
        assertThat(decode("<r xmlns:o=\"urn:o\"><a>1</a><o:a>2</o:a></r>").path("a").size()).isEqualTo(2);
        // a root with only text, an empty root, CDATA
        assertThat(decode("<r>text</r>").path("").asText()).isEqualTo("text");
        assertThat(decode("<r/>").isEmpty()).isTrue();
        assertThat(decode("<r><a>x<![CDATA[<y>]]>z</a></r>").path("a").asText()).isEqualTo("x<y>z");
    }

    @Test
    void nonUtf8DocumentsAreReadInTheirDeclaredEncoding() {
        byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r><n>caf\u00e9</n></r>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(decode(latin1).path("n").asText()).isEqualTo("caf\u00e9");
        byte[] utf16 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><r><n>x</n></r>".getBytes(StandardCharsets.UTF_16);
        assertThat(decode(utf16).path("n").asText()).isEqualTo("x");
    }

    // ---- malformed ----

    @Test
    void truncatedXmlSaysWhere() {
        RejectedException e = rejected("<r>\n  <plate>AB12CDE</plate>\n  <a>");
        assertThat(e.reason()).isEqualTo("undecodable");
        assertThat(e.detail()).startsWith("XML ends unexpectedly at line 3").doesNotContain("AB12CDE");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void malformedXmlIsUndecodableWithoutEchoingContent() {
        for (String bad : List.of("<r><plate>AB12CDE</plat></r>", "<r><AB12CDE x=1/></r>", "AB12CDE", "<r>&AB12CDE;</r>",
                "<r/><second/>", "<r/>AB12CDE", "<r></r></r>")) {
            RejectedException e = rejected(bad);
            assertThat(e.reason()).as(bad).isEqualTo("undecodable");
            assertThat(e.detail()).as(bad).contains("line 1 column").doesNotContain("AB12CDE");
        }
    }

    @Test
    void emptyPayloadIsUndecodable() {
        assertThat(rejected("").reason()).isEqualTo("undecodable");
        assertThat(rejected("  \n").reason()).isEqualTo("undecodable");
    }

    @Test
    void depthIsLimitedTo100() {
        assertThat(decode("<a>".repeat(100) + "x" + "</a>".repeat(100)).isObject()).isTrue();
        RejectedException e = rejected("<a>".repeat(101) + "x" + "</a>".repeat(101));
        assertThat(e.reason()).isEqualTo("undecodable");
        assertThat(e.detail()).contains("limits");
    }

    // ---- attacks ----

    @Test
    void xxeIsRefusedAndNothingIsRead(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "SECRET-CONTENT");
        try (NetworkCanary canary = new NetworkCanary()) {
            for (String system : List.of("file:///etc/passwd", secret.toUri().toString(), canary.url("xxe"))) {
                String xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"" + system + "\">]><x>&e;</x>";
                assertUnsafe(rejected(xml));
                // the parser alone (without the prolog check) refuses too, before any entity is touched
                assertUnsafe(catchThrowableOfType(RejectedException.class,
                        () -> XmlDecoder.parseGuarded(xml.getBytes(StandardCharsets.UTF_8))));
            }
            assertThat(canary.connections()).isZero();
        }
    }

    @Test
    void theCanaryDoesSeeAParserThatFetches() throws Exception {
        // control for the tests above: a default (unhardened) StAX factory does fetch an external DTD
        try (NetworkCanary canary = new NetworkCanary()) {
            String xml = "<!DOCTYPE r SYSTEM \"" + canary.url("ext.dtd") + "\"><r/>";
            XMLStreamReader reader = new WstxInputFactory().createXMLStreamReader(new StringReader(xml));
            try {
                while (reader.hasNext()) {
                    reader.next();
                }
            } catch (XMLStreamException expected) {
                // the canary hangs up without answering
            }
            assertThat(canary.connections()).isPositive();
        }
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        String xml = dtd + "]><lolz>&lol9;</lolz>";
        assertUnsafe(rejected(xml));
        assertUnsafe(catchThrowableOfType(RejectedException.class, () -> XmlDecoder.parseGuarded(xml.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void externalDtdAndParameterEntitiesAreRefusedAndNeverFetched() throws Exception {
        try (NetworkCanary canary = new NetworkCanary()) {
            List<String> attacks = List.of(
                    "<!DOCTYPE r SYSTEM \"" + canary.url("ext.dtd") + "\"><r>x</r>",
                    "<!DOCTYPE r PUBLIC \"-//X//DTD X//EN\" \"" + canary.url("pub.dtd") + "\"><r>x</r>",
                    "<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + canary.url("param.dtd") + "\"> %p;]><r>x</r>",
                    "<!DOCTYPE r [<!ENTITY % a \"<!ENTITY b SYSTEM '" + canary.url("nested") + "'>\"> %a;]><r>&b;</r>");
            for (String xml : attacks) {
                assertUnsafe(rejected(xml));
                assertUnsafe(catchThrowableOfType(RejectedException.class, () -> XmlDecoder.parseGuarded(xml.getBytes(StandardCharsets.UTF_8))));
            }
            assertThat(canary.connections()).isZero();
        }
    }

    @Test
    void doctypeHiddenInTheProlog() {
        String tail = "<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>";
        for (String prolog : List.of("", "<!-- a comment -->", "<?xml version=\"1.0\"?>\n<!-- c1 --><?pi data?>\n  <!-- c2 --->",
                "\uFEFF<?xml version=\"1.0\"?>", "\n\t ")) {
            assertUnsafe(rejected(prolog + tail));
        }
        assertUnsafe(rejected("<!doctype r><r/>"));
        assertUnsafe(rejected("<!-- <r> --><!DOCTYPE r><r/>"));
    }

    @Test
    void doctypeInUtf16AndUtf32IsRefused() {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!-- c --><!DOCTYPE r SYSTEM \"file:///etc/passwd\"><r/>";
        assertUnsafe(rejected(xml.getBytes(StandardCharsets.UTF_16)));   // with a BOM (big-endian)
        assertUnsafe(rejected(xml.getBytes(StandardCharsets.UTF_16LE))); // without a BOM
        assertUnsafe(rejected(xml.getBytes(StandardCharsets.UTF_16BE)));
        assertUnsafe(rejected(xml.replace("UTF-16", "UTF-32").getBytes(Charset.forName("UTF-32LE"))));
    }

    @Test
    void prologScanReadsBytesInEveryEncoding() {
        // the scan runs on raw bytes as 1/2/4-byte units: each encoding, with and without a BOM, both ways
        String prolog = "<?xml version=\"1.0\"?>\n<!-- c1 --->\t<?pi a?b?>\r\n";
        for (String charset : List.of("UTF-8", "ISO-8859-1", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE")) {
            Charset cs = Charset.forName(charset);
            byte[] bom = cs.newEncoder().canEncode('\uFEFF') ? "\uFEFF".getBytes(cs) : new byte[0]; // none in Latin-1
            for (byte[] lead : List.of(new byte[0], bom)) {
                assertThat(XmlDecoder.declaresDoctype(concat(lead, (prolog + "<!DOCTYPE r><r/>").getBytes(cs)))).as(charset).isTrue();
                assertThat(XmlDecoder.declaresDoctype(concat(lead, (prolog + "<!-- <!DOCTYPE --><r/>").getBytes(cs)))).as(charset).isFalse();
                assertThat(XmlDecoder.declaresDoctype(concat(lead, (prolog + "<r><!DOCTYPE r></r>").getBytes(cs)))).as(charset).isFalse();
            }
        }
        assertThat(XmlDecoder.declaresDoctype(new byte[] {'<', '!'})).isTrue(); // cut short: "<!" then no "--"
        assertThat(XmlDecoder.declaresDoctype(new byte[] {0, '<', 0})).isFalse(); // odd UTF-16BE length
        assertThat(XmlDecoder.declaresDoctype("<!-- never closed <!DOCTYPE r>".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void doctypeTextInsideACommentOrTheDocumentIsNotADoctype() {
        assertThat(decode("<!-- <!DOCTYPE x> --><r><a>&lt;!DOCTYPE</a></r>").path("a").asText()).isEqualTo("<!DOCTYPE");
    }

    /** Issue 10 item 4: repeated elements (an array in the tree) are capped while parsing too. */
    @Test
    void repeatedElementsOverTheEntryCapAreTooManyReads() {
        assertThat(decode("<r>" + "<a>1</a>".repeat(3) + "</r>").path("a").size()).isEqualTo(3);
        assertThat(rejected("<r>" + "<a/>".repeat(EntryCap.MAX_ENTRIES + 1) + "</r>").reason()).isEqualTo("too-many-reads");
    }
}
