package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.message.RejectedException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FilenameDecoderTest {

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};

    private final FilenameDecoder decoder = new FilenameDecoder();

    private Decoded decode(String filename, String folder) {
        return decoder.decode(TestMessages.file(JPEG, filename, folder), Map.of());
    }

    @Test
    void hikvisionFtpUpload() {
        Decoded decoded = decode("20250602103045407_B4DM3N_VEHICLE_DETECTION.jpg", "/ftp/upload/cam-01/");
        JsonNode tree = decoded.tree();
        assertThat(tree.path("filename").asText()).isEqualTo("20250602103045407_B4DM3N_VEHICLE_DETECTION.jpg");
        assertThat(tree.path("stem").asText()).isEqualTo("20250602103045407_B4DM3N_VEHICLE_DETECTION");
        assertThat(tree.path("ext").asText()).isEqualTo("jpg");
        assertThat(tree.path("folder").asText()).isEqualTo("cam-01");
        assertThat(tree.path("size").asInt()).isEqualTo(JPEG.length);
        assertThat(decoded.attachments()).containsOnlyKeys("payload");
        assertThat(decoded.attachments().get("payload").contentType()).isEqualTo("image/jpeg");
        assertThat(decoded.attachments().get("payload").bytes()).isEqualTo(JPEG);
    }

    @Test
    void folderIsTheLastPathElementOrNull() {
        assertThat(decode("a.jpg", "cam-02").tree().path("folder").asText()).isEqualTo("cam-02");
        assertThat(decode("a.jpg", "C:\\ftp\\Driveway\\").tree().path("folder").asText()).isEqualTo("Driveway");
        assertThat(decode("a.jpg", null).tree().path("folder").isNull()).isTrue();
        assertThat(decode("a.jpg", "/").tree().path("folder").isNull()).isTrue();
        assertThat(decode("a.jpg", " ").tree().path("folder").isNull()).isTrue();
    }

    @Test
    void extensionsAndContentTypes() {
        assertThat(decode("2024110312013232013_P99JHG_VEHICLE_DETECTION.jpeg", null).attachments().get("payload").contentType())
                .isEqualTo("image/jpeg");
        Decoded upper = decode("X.PNG", null);
        assertThat(upper.tree().path("ext").asText()).isEqualTo("PNG"); // as sent
        assertThat(upper.attachments().get("payload").contentType()).isEqualTo("image/png");
        assertThat(decode("read_lpr.xml", null).attachments().get("payload").contentType()).isEqualTo("application/xml");
        assertThat(decode("read.json", null).attachments().get("payload").contentType()).isEqualTo("application/json");
        assertThat(decode("a.b.bmp", null).tree().path("stem").asText()).isEqualTo("a.b");
        assertThat(decode("a.b.bmp", null).attachments().get("payload").contentType()).isEqualTo("application/octet-stream");
        Decoded none = decode("README", null);
        assertThat(none.tree().path("stem").asText()).isEqualTo("README");
        assertThat(none.tree().path("ext").isNull()).isTrue();
        assertThat(none.attachments().get("payload").contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void aPathInTheFilenameIsStripped() {
        assertThat(decode("/ftp/Driveway/20260108141528320_J23TST_VEHICLE_DETECTION.jpg", null).tree().path("filename").asText())
                .isEqualTo("20260108141528320_J23TST_VEHICLE_DETECTION.jpg");
    }

    @Test
    void noFilenameIsUndecodable() {
        for (String missing : new String[]{null, "", "  ", "/upload/"}) {
            RejectedException e = catchThrowableOfType(RejectedException.class, () -> decode(missing, "cam"));
            assertThat(e).as(String.valueOf(missing)).isNotNull();
            assertThat(e.reason()).isEqualTo("undecodable");
        }
    }
}
