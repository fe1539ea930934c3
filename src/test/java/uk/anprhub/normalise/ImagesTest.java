package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import uk.anprhub.connector.decode.Decoded.Attachment;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.NasRead.ImageRef;
import uk.anprhub.model.NasRead;
import uk.anprhub.model.ReadLimits;
import uk.anprhub.normalise.Normaliser.Normalised;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.anprhub.normalise.NormaliserFixtures.*;

/** Contract sections 4.5 and 4.7: image bytes, their checks and references ({@link Images}). */
class ImagesTest {

    @ParameterizedTest
    @ValueSource(strings = {JPEG_B64, "data:image/jpeg;base64," + JPEG_B64, "/9j/\n4AAQ SkZJ\r\n\tRg==\n", "/9j/4AAQSkZJRg"})
    void base64IsDecodedAndReferencedByHash(String base64) throws Exception {
        ObjectNode in = base();
        in.putObject("plateImage").put("base64", base64);

        Normalised n = normalise(in);

        assertThat(n.plateImage()).isEqualTo(JPEG);
        assertThat(n.read().plateImage()).isEqualTo(new ImageRef("image/jpeg", sha256(JPEG), (long) JPEG.length, null));
        assertThat(n.read().flags()).isNull();
    }

    @Test
    void theContentTypeIsSniffedNotDeclared() {
        ObjectNode in = base();
        in.putObject("plateImage").put("base64", Base64.getEncoder().encodeToString(PNG)).put("contentType", "image/jpeg");
        assertThat(read(in).plateImage().contentType()).isEqualTo("image/png");
    }

    /** Issue 10 item 17: 30 MB of zeros were stored as a picture, later a NAS dead letter. Only JPEG and PNG pass. */
    @ParameterizedTest
    @ValueSource(strings = {"hello", "\u0000\u0000\u0000\u0000", "BM\u0000\u0000", "GIF89a", "\u00ff\u00d8"})
    void anythingButJpegOrPngIsABadImage(String content) {
        ObjectNode in = base();
        in.putObject("plateImage").put("base64", Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.ISO_8859_1)))
                .put("contentType", "image/jpeg");
        assertRejected(in, "bad-image");
    }

    @Test
    void anImageOverTheCapIsRefusedBeforeDecoding() {
        byte[] big = new byte[(int) ReadLimits.DEFAULTS.maxImageBytes() + 1];
        System.arraycopy(JPEG, 0, big, 0, JPEG.length);
        ObjectNode in = base();
        in.putObject("overviewImage").put("base64", Base64.getEncoder().encodeToString(big));
        assertRejected(in, "image-too-large");
        ObjectNode atCap = base();
        atCap.putObject("overviewImage").put("base64",
                Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(big, big.length - 1)));
        assertThat(read(atCap).overviewImage().bytes()).isEqualTo(ReadLimits.DEFAULTS.maxImageBytes());
    }

    @Test
    void base64WhitespaceIsStrippedOnBytes() {
        byte[] picture = new byte[10_000];
        new java.util.Random(3).nextBytes(picture);
        String mime = Base64.getMimeEncoder().encodeToString(picture); // CRLF every 76 characters
        assertThat(mime).contains("\r\n");
        assertThat(Base64.getDecoder().decode(Images.base64Bytes(mime))).isEqualTo(picture);
        assertThat(Base64.getDecoder().decode(Images.base64Bytes("data:image/jpeg;base64,\r\n" + mime + "\r\n")))
                .isEqualTo(picture);
        // the whitespace Character.isWhitespace knows, including beyond Latin-1, as the char-by-char copy did
        assertThat(new String(Images.base64Bytes("\u001c/9j/\u000b4A\fAQ\u2028Sk\u3000ZJ Rg==\t"), StandardCharsets.ISO_8859_1))
                .isEqualTo("/9j/4AAQSkZJRg==");
        // anything else stays for the strict decoder to refuse
        assertThat(new String(Images.base64Bytes("/9j?\u00a0\u00e9\u0000"), StandardCharsets.ISO_8859_1))
                .isEqualTo("/9j?\u00a0\u00e9\u0000");
        assertThat(Images.base64Bytes("/9j/\u0141AA\ud83d\ude00")).contains((byte) '?');
        assertThat(Images.base64Bytes("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not*base64!", "/9j/4AAQSkZJRg===x", "data:image/jpeg;base64,%%%", "/9j/\u01414AAQSkZJRg==",
            "/9j/4AAQ\u00a0SkZJRg=="})
    void badBase64IsAnInvalidImage(String base64) {
        ObjectNode in = base();
        in.putObject("overviewImage").put("base64", base64);
        RejectedException e = rejected(in);
        assertThat(e.reason()).isEqualTo("invalid-image");
        assertThat(e.detail()).contains("overview");
    }

    @Test
    void aPartIsTakenFromTheAttachments() {
        ObjectNode in = base();
        in.putObject("plateImage").put("part", "plate.jpg");
        in.putObject("overviewImage").put("part", "scene.jpg");
        Normalised n = normalise(in, POLICY, VENDOR, false, Map.of(
                "plate.jpg", new Attachment("plate.jpg", "image/jpeg", JPEG),
                "scene.jpg", new Attachment("scene.jpg", "image/png", PNG)));
        assertThat(n.plateImage()).isEqualTo(JPEG);
        assertThat(n.overviewImage()).isEqualTo(PNG);
        assertThat(n.read().overviewImage().contentType()).isEqualTo("image/png");
        assertThat(n.read().flags()).isNull();
    }

    @Test
    void aMissingPartIsAFlagNotARejection() {
        ObjectNode in = base();
        in.putObject("plateImage").put("part", "plate.jpg");
        in.putObject("overviewImage").put("part", "scene.jpg");
        Normalised n = normalise(in, POLICY, VENDOR, false, Map.of("scene.jpg", new Attachment("scene.jpg", null, PNG)));
        assertThat(n.read().flags()).containsExactly("plate-image-missing");
        assertThat(n.read().plateImage()).isNull();
        assertThat(n.plateImage()).isNull();
        assertThat(n.read().overviewImage()).isNotNull();

        NasRead neither = normalise(in, POLICY, VENDOR, false, Map.of()).read();
        assertThat(neither.flags()).containsExactly("plate-image-missing", "overview-image-missing");
    }

    @Test
    void payloadTrueIsTheMessageItselfOrItsPayloadAttachment() throws Exception {
        ObjectNode in = base();
        in.putObject("overviewImage").put("payload", true);
        Normalised fromMessage = normalise(in);
        assertThat(fromMessage.overviewImage()).isEqualTo(PAYLOAD);
        assertThat(fromMessage.read().overviewImage().sha256()).isEqualTo(sha256(PAYLOAD));
        assertThat(fromMessage.read().overviewImage().bytes()).isEqualTo(PAYLOAD.length);

        Normalised fromAttachment = normalise(in, POLICY, VENDOR, false,
                Map.of("payload", new Attachment("payload", "image/jpeg", JPEG)));
        assertThat(fromAttachment.overviewImage()).isEqualTo(JPEG);
    }

    @Test
    void aUrlIsKeptForLater() {
        ObjectNode in = base();
        in.putObject("overviewImage").put("url", "http://10.0.0.1/pic/1.jpg").put("contentType", "image/jpeg");
        Normalised n = normalise(in);
        assertThat(n.overviewImage()).isNull();
        assertThat(n.read().overviewImage()).isEqualTo(new ImageRef("image/jpeg", null, null, "http://10.0.0.1/pic/1.jpg"));
    }

    @Test
    void noImageNoReference() {
        Normalised n = normalise(base());
        assertThat(n.plateImage()).isNull();
        assertThat(n.overviewImage()).isNull();
        assertThat(n.read().plateImage()).isNull();
        assertThat(n.read().overviewImage()).isNull();
    }

    @Test
    void sha256IsLowerCaseHex() {
        assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
