package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.message.RejectedException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class MultipartDecoderTest {

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, '-', '-', '\r', '\n', '-', '-', 'x', (byte) 0xFF, (byte) 0xD9};

    private final MultipartDecoder decoder = new MultipartDecoder();

    /** Writes a multipart body; strings are UTF-8, byte arrays as is. */
    private static byte[] body(Object... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object piece : pieces) {
            out.writeBytes(piece instanceof byte[] b ? b : piece.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private Decoded decode(byte[] body, String contentType, Map<String, String> options) {
        return decoder.decode(TestMessages.withContentType(body, contentType), options);
    }

    private RejectedException rejected(byte[] body, String contentType, Map<String, String> options) {
        RejectedException e = catchThrowableOfType(RejectedException.class, () -> decode(body, contentType, options));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }

    private static final String HIK_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
            <channelID>1</channelID><ANPR><licensePlate>PECT600</licensePlate></ANPR></EventNotificationAlert>""";

    @Test
    void hikvisionFormDataWithXmlAndPictures() {
        byte[] body = body(
                "--MIME_boundary\r\n",
                "Content-Disposition: form-data; name=\"anpr.xml\"; filename=\"anpr.xml\"\r\n",
                "Content-Type: text/xml\r\nContent-Length: ", HIK_XML.length(), "\r\n\r\n", HIK_XML, "\r\n",
                "--MIME_boundary\r\n",
                "Content-Disposition: form-data; name=\"licensePlatePicture.jpg\"; filename=\"licensePlatePicture.jpg\"\r\n",
                "Content-Type: image/jpeg\r\n\r\n", JPEG, "\r\n",
                "--MIME_boundary\r\n",
                "Content-Disposition: form-data; name=detectionPicture.jpg; filename=detectionPicture.jpg\r\n",
                "Content-Type: image/jpeg\r\n\r\n", JPEG, "\r\n",
                "--MIME_boundary--\r\n");
        Decoded decoded = decode(body, "multipart/form-data; boundary=\"MIME_boundary\"", Map.of());
        JsonNode parts = decoded.tree().path("parts");
        assertThat(parts.size()).isEqualTo(3);
        JsonNode xml = parts.get(0);
        assertThat(xml.path("name").asText()).isEqualTo("anpr.xml");
        assertThat(xml.path("contentType").asText()).isEqualTo("text/xml");
        assertThat(xml.path("size").asInt()).isEqualTo(HIK_XML.length());
        assertThat(xml.path("text").asText()).isEqualTo(HIK_XML);
        assertThat(xml.path("xml").path("ANPR").path("licensePlate").asText()).isEqualTo("PECT600");
        assertThat(xml.path("headers").path("content-length").asText()).isEqualTo(String.valueOf(HIK_XML.length()));
        JsonNode picture = parts.get(1);
        assertThat(picture.path("filename").asText()).isEqualTo("licensePlatePicture.jpg");
        assertThat(picture.path("contentType").asText()).isEqualTo("image/jpeg");
        assertThat(picture.path("size").asInt()).isEqualTo(JPEG.length);
        assertThat(picture.has("text")).isFalse();
        assertThat(parts.get(2).path("name").asText()).isEqualTo("detectionPicture.jpg"); // unquoted parameters
        assertThat(decoded.attachments()).containsOnlyKeys("anpr.xml", "licensePlatePicture.jpg", "detectionPicture.jpg");
        assertThat(decoded.attachments().get("detectionPicture.jpg").bytes()).isEqualTo(JPEG);
        assertThat(decoded.attachments().get("detectionPicture.jpg").contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void jsonByContentTypeOrByNameEventOrJson() {
        byte[] body = body(
                "--b\r\nContent-Disposition: form-data; name=\"event\"; filename=\"event.json\"\r\n",
                "Content-Type: application/octet-stream\r\n\r\n", "{\"plateUTF8\":\"RLE11684\"}\r\n",
                "--b\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n", "  {\"data\":{\"plate\":\"slz9043m\"}}\r\n",
                "--b\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/vnd.x+json; charset=utf-8\r\n\r\n[1,2]\r\n",
                "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n{not json, name is not json/event}\r\n",
                "--b\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{\"url\":\"http://x/?a=b\"}\r\n",
                "--b--");
        JsonNode parts = decode(body, "multipart/form-data; boundary=b", Map.of()).tree().path("parts");
        assertThat(parts.get(0).path("json").path("plateUTF8").asText()).isEqualTo("RLE11684");
        assertThat(parts.get(0).path("contentType").asText()).isEqualTo("application/octet-stream");
        assertThat(parts.get(1).path("contentType").asText()).isEqualTo("text/plain"); // the default
        assertThat(parts.get(1).path("json").path("data").path("plate").asText()).isEqualTo("slz9043m");
        assertThat(parts.get(2).path("json").size()).isEqualTo(2);
        assertThat(parts.get(3).has("json")).isFalse();
        assertThat(parts.get(3).path("text").asText()).startsWith("{not json");
        assertThat(parts.get(4).path("json").path("url").asText()).isEqualTo("http://x/?a=b");
        assertThat(parts.get(4).has("kv")).isFalse(); // JSON text with an "=" is not key=value
    }

    @Test
    void keyValueTextPartsGetKv() {
        byte[] body = body(
                "--myboundary\r\nContent-Type: text/plain\r\nCamTime:2018-04-10 14:24:08\r\n\r\n",
                "MotionDetect=0\r\nLPR0=647CBA,ACT_PARAM0=Visitor,ROI_X0=96\r\n",
                "--myboundary\r\nContent-Type: text/plain\r\n\r\nHeartbeat\r\n",
                "--myboundary--\r\n");
        JsonNode parts = decode(body, "multipart/x-mixed-replace; boundary=myboundary", Map.of()).tree().path("parts");
        assertThat(parts.get(0).path("kv").path("LPR0").asText()).isEqualTo("647CBA,ACT_PARAM0=Visitor,ROI_X0=96");
        assertThat(parts.get(0).path("headers").path("camtime").asText()).isEqualTo("2018-04-10 14:24:08");
        assertThat(parts.get(1).has("kv")).isFalse();
        assertThat(parts.get(1).path("text").asText()).isEqualTo("Heartbeat");
    }

    @Test
    void missingFinalBoundaryOnlyWithLenientEnd() {
        // LILIN getalarmmotion style: LF-only stream cut after the last part
        byte[] body = body("--myboundary\nContent-Type: text/plain\n\nMotionDetect=0\nLPR0=647CBA\n");
        RejectedException strict = rejected(body, "multipart/x-mixed-replace;boundary=myboundary", Map.of());
        assertThat(strict.reason()).isEqualTo("undecodable");
        assertThat(strict.detail()).contains("closing boundary");
        JsonNode parts = decode(body, "multipart/x-mixed-replace;boundary=myboundary", Map.of("lenient-end", "true"))
                .tree().path("parts");
        assertThat(parts.size()).isEqualTo(1);
        assertThat(parts.get(0).path("kv").path("LPR0").asText()).isEqualTo("647CBA");
        assertThat(parts.get(0).path("text").asText()).isEqualTo("MotionDetect=0\nLPR0=647CBA");

        // Dahua style: a stream captured up to the start of the next part
        byte[] dahua = body("--myboundary\r\nContent-Type: text/plain\r\nContent-Length: 28\r\n\r\n",
                "Events[0].Code=TrafficJunction\r\n\r\n",
                "--myboundary\r\nContent-Type: image/jpeg\r\n\r\n", JPEG, "\r\n\r\n--myboundary\r\n");
        Decoded decoded = decode(dahua, null, Map.of("lenient-end", "true", "boundary", "myboundary"));
        assertThat(decoded.tree().path("parts").size()).isEqualTo(2);
        assertThat(decoded.tree().path("parts").get(0).path("kv").path("Events[0].Code").asText()).isEqualTo("TrafficJunction");
        assertThat(decoded.attachments().get("part1").bytes()).isEqualTo(body(JPEG, "\r\n"));
        assertThat(rejected(dahua, null, Map.of("boundary", "myboundary")).reason()).isEqualTo("undecodable");
    }

    @Test
    void lfOnlyPreambleEpilogueAndBoundaryDetection() {
        // no Content-Type: the boundary is the first line starting with "--"
        byte[] body = body("preamble line\n\n--xyz\nContent-Type: application/json\n\n{\"a\":1}\n--xyz\n\nplain\n--xyz--\nepilogue\n");
        JsonNode parts = decode(body, null, Map.of()).tree().path("parts");
        assertThat(parts.size()).isEqualTo(2);
        assertThat(parts.get(0).path("json").path("a").asInt()).isEqualTo(1);
        assertThat(parts.get(1).path("text").asText()).isEqualTo("plain");
        assertThat(parts.get(1).path("name").isNull()).isTrue();
    }

    @Test
    void boundaryOptionOverridesTheContentType() {
        byte[] body = body("--real\r\n\r\nx=1\r\n--real--\r\n");
        assertThat(rejected(body, "multipart/mixed; boundary=wrong", Map.of()).detail()).contains("boundary not found");
        assertThat(decode(body, "multipart/mixed; boundary=wrong", Map.of("boundary", "real")).tree().path("parts").size()).isEqualTo(1);
    }

    @Test
    void attachmentKeysFallBackAndAreMadeUnique() {
        byte[] body = body(
                "--b\r\nContent-Disposition: form-data; name=\"image\"\r\nContent-Type: image/jpeg\r\n\r\n", JPEG, "\r\n",
                "--b\r\nContent-Disposition: form-data; name=\"image\"\r\nContent-Type: image/jpeg\r\n\r\n", JPEG, "\r\n",
                "--b\r\nContent-Disposition: form-data; name=\"image\"\r\nContent-Type: image/jpeg\r\n\r\n", JPEG, "\r\n",
                "--b\r\nContent-Disposition: attachment; filename=\"a;b \\\"q\\\".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n", JPEG, "\r\n",
                "--b\r\nContent-Type: image/png\r\n\r\n", JPEG, "\r\n",
                "--b--\r\n");
        Decoded decoded = decode(body, "multipart/form-data; boundary=b", Map.of());
        assertThat(decoded.attachments()).containsOnlyKeys("image", "image#2", "image#3", "a;b \"q\".jpg", "part4");
        assertThat(decoded.tree().path("parts").get(2).path("attachment").asText()).isEqualTo("image#3");
        assertThat(decoded.attachments().get("part4").contentType()).isEqualTo("image/png");
    }

    @Test
    void partCharsetIsHonoured() {
        byte[] body = body("--b\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\n",
                "name=caf\u00e9".getBytes(StandardCharsets.ISO_8859_1), "\r\n--b--\r\n");
        assertThat(decode(body, "multipart/mixed; boundary=b", Map.of()).tree().path("parts").get(0).path("kv").path("name").asText())
                .isEqualTo("caf\u00e9");
    }

    @Test
    void headersSpringReadsAreReadBySpring() {
        // RFC 5987 filename* and a quoted boundary with an escape: both from Spring's ContentDisposition/MimeType
        byte[] body = body("--a\"b\r\nContent-Disposition: form-data; name=\"pic\"; filename*=UTF-8''%E2%82%AC.jpg\r\n",
                "Content-Type: IMAGE/JPEG\r\n\r\n", JPEG, "\r\n--a\"b--\r\n");
        JsonNode part = decode(body, "multipart/form-data; boundary=\"a\\\"b\"", Map.of()).tree().path("parts").get(0);
        assertThat(part.path("filename").asText()).isEqualTo("\u20ac.jpg");
        assertThat(part.path("contentType").asText()).isEqualTo("image/jpeg");
    }

    @Test
    void headersSpringRefusesAreStillRead() {
        // Spring's MimeType refuses an unquoted JavaMail boundary ('=' is no token character) and an unknown charset,
        // and ContentDisposition a parameter without a value: cameras send all three, so the lenient reader takes over
        byte[] body = body("------=_Part_0_1.2\r\nContent-Disposition: form-data; name=\"event\"; inline; filename=e.txt\r\n",
                "Content-Type: text/plain; charset=x-camera-latin\r\n\r\nplate=AB12CDE\r\n",
                "------=_Part_0_1.2\r\nContent-Type: jpeg\r\n\r\n", JPEG, "\r\n------=_Part_0_1.2--\r\n");
        JsonNode parts = decode(body, "multipart/mixed; boundary=----=_Part_0_1.2", Map.of()).tree().path("parts");
        assertThat(parts.size()).isEqualTo(2);
        assertThat(parts.get(0).path("name").asText()).isEqualTo("event");
        assertThat(parts.get(0).path("filename").asText()).isEqualTo("e.txt");
        assertThat(parts.get(0).path("kv").path("plate").asText()).isEqualTo("AB12CDE");
        assertThat(parts.get(1).path("contentType").asText()).isEqualTo("jpeg");
    }

    // ---- bad input ----

    @Test
    void badBodiesAreUndecodable() {
        String ct = "multipart/form-data; boundary=b";
        Map<String, byte[]> bad = Map.of(
                "no parts", body("--b--\r\n"),
                "boundary not found", body("--other\r\n\r\nx\r\n--other--"),
                "truncated in headers", body("--b\r\nContent-Type: text/plain\r\n"),
                "truncated in content", body("--b\r\n\r\nx=1\r\n--b\r\nContent-Type: image/jpeg\r\n\r\n", JPEG),
                "header without colon", body("--b\r\nContent-Type text/plain\r\n\r\nx\r\n--b--"),
                "boundary not followed by a line break", body("--b junk\r\n\r\nx\r\n--b--"),
                "empty", new byte[0]);
        bad.forEach((what, body) -> assertThat(rejected(body, ct, Map.of()).reason()).as(what).isEqualTo("undecodable"));
        assertThat(rejected(new byte[0], null, Map.of()).reason()).isEqualTo("undecodable"); // no boundary anywhere
    }

    @Test
    void partAndHeaderLimits() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            many.append("--b\r\n\r\nx\r\n");
        }
        many.append("--b--\r\n");
        RejectedException parts = rejected(body(many), "multipart/mixed; boundary=b", Map.of());
        assertThat(parts.detail()).contains("more than 64 multipart parts");
        assertThat(decode(body(many.substring("--b\r\n\r\nx\r\n".length())), "multipart/mixed; boundary=b", Map.of())
                .tree().path("parts").size()).isEqualTo(64);

        RejectedException headers = rejected(body("--b\r\n", "X-H: 1\r\n".repeat(65), "\r\nx\r\n--b--"), "multipart/mixed; boundary=b", Map.of());
        assertThat(headers.detail()).contains("more than 64 header lines");
        assertThat(decode(body("--b\r\n", "X-H: 1\r\n".repeat(64), "\r\nx\r\n--b--"), "multipart/mixed; boundary=b", Map.of())
                .tree().path("parts").size()).isEqualTo(1);
    }

    @Test
    void badJsonPartRejectsTheMessageWithoutEchoingIt() {
        byte[] body = body("--b\r\nContent-Disposition: form-data; name=\"event\"\r\nContent-Type: application/json\r\n\r\n",
                "{\"plate\": \"AB12CDE\"", "\r\n--b--\r\n");
        RejectedException e = rejected(body, "multipart/form-data; boundary=b", Map.of());
        assertThat(e.reason()).isEqualTo("undecodable");
        assertThat(e.detail()).startsWith("parts[0]: JSON ends unexpectedly").doesNotContain("AB12CDE");
    }

    // ---- XML attacks inside a part ----

    @Test
    void doctypeInAnXmlPartRejectsTheWholeMessage() throws Exception {
        try (NetworkCanary canary = new NetworkCanary()) {
            String[] attacks = {
                    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
                    "<!-- c --><!DOCTYPE x SYSTEM \"" + canary.url("ext.dtd") + "\"><x/>",
                    "<!DOCTYPE x [<!ENTITY % p SYSTEM \"" + canary.url("p") + "\"> %p;]><x/>",
                    "<!DOCTYPE x [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;\">]><x>&c;</x>"};
            String[] partHeaders = {
                    "Content-Type: application/xml\r\n",
                    "Content-Disposition: form-data; name=\"f\"; filename=\"anpr.XML\"\r\nContent-Type: application/octet-stream\r\n",
                    "Content-Type: text/plain\r\n",
                    "Content-Type: application/soap+xml\r\n"};
            for (String attack : attacks) {
                for (String headers : partHeaders) {
                    byte[] body = body("--b\r\nContent-Type: image/jpeg\r\n\r\n", JPEG, "\r\n--b\r\n", headers, "\r\n", attack, "\r\n--b--\r\n");
                    RejectedException e = rejected(body, "multipart/form-data; boundary=b", Map.of());
                    assertThat(e.reason()).as(headers + attack).isEqualTo("unsafe-xml");
                    assertThat(e.detail()).isEqualTo("parts[1]: XML with a DOCTYPE/entity declaration is refused");
                }
            }
            byte[] utf16 = body("--b\r\nContent-Type: text/xml; charset=UTF-16\r\n\r\n",
                    "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>".getBytes(StandardCharsets.UTF_16),
                    "\r\n--b--\r\n");
            assertThat(rejected(utf16, "multipart/form-data; boundary=b", Map.of()).reason()).isEqualTo("unsafe-xml");
            assertThat(canary.connections()).isZero();
        }
    }

    @Test
    void malformedXmlPartIsUndecodable() {
        byte[] body = body("--b\r\nContent-Type: application/xml\r\n\r\n<r><a>1</a>\r\n--b--\r\n");
        RejectedException e = rejected(body, "multipart/form-data; boundary=b", Map.of());
        assertThat(e.reason()).isEqualTo("undecodable");
        assertThat(e.detail()).startsWith("parts[0]: XML ends unexpectedly at line");
    }

    // ---- delimiter search (eight bytes at a time) ----

    /** The byte-at-a-time scan the search replaced: the reference for what counts as a delimiter. */
    private static int naiveFind(byte[] body, byte[] delimiter, int from) {
        for (int i = from; i <= body.length - delimiter.length; i++) {
            if ((i == 0 || body[i - 1] == '\n') && Arrays.equals(body, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                int after = i + delimiter.length;
                byte b = after < body.length ? body[after] : 0;
                if (after == body.length || b == '\r' || b == '\n' || b == ' ' || b == '\t'
                        || (b == '-' && after + 1 < body.length && body[after + 1] == '-')) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Test
    void delimiterSearchAgreesWithTheByteScanOnBoundaryLikeNoise() {
        // bodies made of delimiter fragments, line breaks and binary, so that matches, near-misses and a delimiter
        // cut by the end of the body all occur; every start offset is compared
        String[] pieces = {"--bound", "--boundary", "--boundary--", "--boundaryX", "-", "\r\n", "\n", "\r", " ", "\t", "x", "\u00ff"};
        Random random = new Random(7);
        for (String boundary : new String[] {"--boundary", "--b"}) {
            MultipartBody.Delimiter delimiter = new MultipartBody.Delimiter(boundary);
            byte[] bytes = boundary.getBytes(StandardCharsets.ISO_8859_1);
            for (int round = 0; round < 2000; round++) {
                StringBuilder sb = new StringBuilder();
                for (int n = random.nextInt(12); n > 0; n--) {
                    sb.append(pieces[random.nextInt(pieces.length)]);
                }
                byte[] body = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
                for (int from = 0; from <= body.length; from++) {
                    assertThat(delimiter.find(body, from)).as("%s in %s from %d", boundary, sb, from)
                            .isEqualTo(naiveFind(body, bytes, from));
                }
            }
        }
    }

    @Test
    void lineFeedSearchEightBytesAtATime() {
        // every position and range edge, with neighbours that a wrong bit trick would take for '\n' (0x0B, 0x8A, 0x09, 0x00, 0xFF)
        byte[] noise = {0x0B, (byte) 0x8A, 0x09, 0x00, (byte) 0xFF, 0x0A ^ 0x01, 'x'};
        Random random = new Random(11);
        for (int round = 0; round < 3000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(12) == 0 ? (byte) '\n' : noise[random.nextInt(noise.length)];
            }
            int from = random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                expected = b[i] == '\n' ? i : -1;
            }
            assertThat(MultipartBody.indexOfLineFeed(b, from, to)).as("%s [%d, %d)", Arrays.toString(b), from, to)
                    .isEqualTo(expected);
        }
        assertThat(MultipartBody.indexOfLineFeed(new byte[5], 3, 1)).isEqualTo(-1); // empty range
    }

    @Test
    void delimiterAtTheStartOrCutByTheEnd() {
        MultipartBody.Delimiter d = new MultipartBody.Delimiter("--boundary");
        byte[] atStart = body("--boundary\r\n");
        assertThat(d.find(atStart, 0)).isZero();
        assertThat(d.find(atStart, 1)).isEqualTo(-1);
        assertThat(d.find(body("x\r\n--boundary"), 0)).isEqualTo(3); // the end of the body ends it
        assertThat(d.find(body("x\r\n--boundar"), 0)).isEqualTo(-1);
        assertThat(d.find(body("--boundar"), 0)).isEqualTo(-1);
        assertThat(d.find(new byte[0], 0)).isEqualTo(-1);
    }

    @Test
    void boundaryCutByTheEndOfTheBodyIsTruncation() {
        String ct = "multipart/form-data; boundary=boundary";
        byte[] cut = body("--boundary\r\nContent-Type: image/jpeg\r\n\r\n", JPEG, "\r\n--bounda");
        assertThat(rejected(cut, ct, Map.of()).detail()).contains("closing boundary");
        Decoded lenient = decode(cut, ct, Map.of("lenient-end", "true"));
        assertThat(lenient.attachments().get("part0").bytes()).isEqualTo(body(JPEG, "\r\n--bounda")); // not a delimiter
        assertThat(rejected(body("--boundary\r\nContent-Type: image/jpeg\r\n\r\n", JPEG, "\r\n--boundary"), ct, Map.of())
                .detail()).contains("truncated");
    }

    @Test
    void boundaryLikeBytesInsideAPictureAreContent() {
        byte[] picture = body(JPEG, "--boundary\n-\r\n--boundaryX\r\n--boundar\r\n--boundary-x\n--bound\r\n", JPEG,
                "\r\n--boundary\u00ff\r\n--boundar");
        for (String nl : new String[] {"\r\n", "\n"}) {
            byte[] body = body("--boundary", nl, "Content-Type: image/jpeg", nl, nl, picture, nl,
                    "--boundary", nl, "Content-Type: image/jpeg", nl, nl, JPEG, nl, "--boundary--", nl);
            Decoded decoded = decode(body, "multipart/related; boundary=boundary", Map.of());
            assertThat(decoded.attachments().get("part0").bytes()).as(nl).isEqualTo(picture);
            assertThat(decoded.attachments().get("part1").bytes()).as(nl).isEqualTo(JPEG);
        }
    }

    @Test
    void crlfAndLfBodiesGiveTheSameParts() {
        String crlf = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx=1\r\n--b\r\n"
                + "Content-Disposition: form-data; name=\"c\"; filename=\"c.xml\"\r\n\r\n<r><v>2</v></r>\r\n--b--\r\n";
        JsonNode a = decode(body(crlf), "multipart/form-data; boundary=b", Map.of()).tree();
        JsonNode b = decode(body(crlf.replace("\r\n", "\n")), "multipart/form-data; boundary=b", Map.of()).tree();
        assertThat(b).isEqualTo(a);
        assertThat(a.path("parts").get(0).path("kv").path("x").asText()).isEqualTo("1");
        assertThat(a.path("parts").get(1).path("filename").asText()).isEqualTo("c.xml");
        assertThat(a.path("parts").get(1).path("xml").path("v").asText()).isEqualTo("2");
    }

    @Test
    void emptyParts() {
        for (String body : new String[] {"--b\r\n\r\n\r\n--b\r\n\r\n--b--", "--b\n\n\n--b\n\n--b--\n"}) {
            Decoded decoded = decode(body(body), "multipart/mixed; boundary=b", Map.of());
            assertThat(decoded.attachments()).containsOnlyKeys("part0", "part1");
            assertThat(decoded.attachments().get("part0").bytes()).isEmpty();
            assertThat(decoded.attachments().get("part1").bytes()).isEmpty();
            assertThat(decoded.tree().path("parts").get(1).path("size").asInt()).isZero();
        }
    }

    // ---- size ----

    @Test
    void fiveMegabyteBinaryPartIsQuick() {
        byte[] jpeg = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(jpeg);
        for (int i = 0; i < jpeg.length - 8; i += 4096) { // sprinkle near-boundaries through the picture
            System.arraycopy("\r\n--b-x".getBytes(StandardCharsets.ISO_8859_1), 0, jpeg, i, 7);
        }
        byte[] body = body("--b\r\nContent-Disposition: form-data; name=\"event\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n",
                "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n",
                jpeg, "\r\n--b--\r\n");
        decode(body, "multipart/form-data; boundary=b", Map.of()); // warm-up (class loading)
        long start = System.nanoTime();
        Decoded decoded = decode(body, "multipart/form-data; boundary=b", Map.of());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("decode time in ms").isLessThan(1000);
        assertThat(Arrays.equals(decoded.attachments().get("image").bytes(), jpeg)).as("picture intact").isTrue();
        assertThat(decoded.tree().path("parts").get(1).path("size").asInt()).isEqualTo(jpeg.length);
    }
}
