package uk.anprhub.normalise;

import org.junit.jupiter.api.Test;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.connector.decode.JsonDecoder;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.model.VendorRead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canonical feed keeps plain-base64 pictures as spans of the payload (connector option {@code base64-fields}): every
 * outcome — the stored read, its picture bytes, or the refusal with its reason and detail — is the one the same
 * connector gives without the option, which builds the picture's text.
 */
class InlinePictureSpansTest {

    private static final Instant NOW = Instant.now();

    @Test
    void sameOutcomeWithAndWithoutSpans() throws IOException {
        ConnectorCatalog catalog = ConnectorCatalog.load(Path.of("connectors"), Path.of("mappings"));
        Connector spans = catalog.find("nas-json").orElseThrow();
        assertThat(spans.options()).containsKey("base64-fields");
        Connector text = new Connector(spans.id(), spans.vendor(), spans.title(), spans.description(), spans.decoderName(),
                Map.of(), spans.contentTypes(), spans.mappingPath(), new JsonDecoder(), spans.mapping(), spans.identity(),
                spans.pictures());
        CameraRegistry cameras = new CameraRegistry(Path.of("src/test/resources/cameras"));
        cameras.reload();
        Normaliser normaliser = new Normaliser(cameras, ValidationPolicy.offline(null));

        byte[] jpeg = picture(30_000, 0xD8);
        byte[] png = new byte[1000];
        new Random(2).nextBytes(png);
        png[0] = (byte) 0x89;
        png[1] = 'P';
        png[2] = 'N';
        png[3] = 'G';
        String b64 = Base64.getEncoder().encodeToString(jpeg);
        List<String> overviews = new ArrayList<>(List.of(
                b64, // the usual: a span
                b64.substring(0, b64.length() - 2), // padding missing: the strict decoder's answer either way
                b64.substring(0, 100) + "=" + b64.substring(100), // padding in the middle: invalid-image
                b64.substring(0, 101), // a length no base64 has
                "////", // decodes to a picture that is neither JPEG nor PNG: bad-image
                Base64.getEncoder().encodeToString(png),
                Base64.getEncoder().encodeToString(picture(2 * 1024 * 1024 + 1, 0xD8)), // one byte too large
                Base64.getEncoder().encodeToString(picture(3 * 1024 * 1024, 0xD8)), // too large before decoding
                "data:image/jpeg;base64," + b64, // text as before
                b64.substring(0, 76) + "\\r\\n" + b64.substring(76), // MIME line break, escaped: text as before
                ""));
        for (String overview : overviews) {
            String json = "[{\"vrm\":\"AB12CDE\",\"captureTimeUtc\":\"" + NOW + "\",\"cameraId\":\"MPS-DEMO-0001\","
                    + "\"confidencePct\":93,\"overviewImage\":{\"data\":\"" + overview + "\",\"contentType\":\"image/jpeg\"},"
                    + "\"plateImage\":{\"contentType\":\"image/png\",\"data\":\"" + Base64.getEncoder().encodeToString(png) + "\"}},"
                    + "{\"vrm\":\"AB12CDF\",\"captureTimeUtc\":\"" + NOW + "\",\"cameraId\":\"MPS-DEMO-0009-UNKNOWN\","
                    + "\"overviewImage\":{\"data\":\"" + overview + "\"}}]";
            String label = overview.length() > 40 ? overview.substring(0, 20) + "..(" + overview.length() + ")" : overview;
            assertThat(outcome(spans, normaliser, json)).as(label).isEqualTo(outcome(text, normaliser, json));
        }
        // the first one is a stored read with its picture (the comparison is not between two refusals)
        String ok = "{\"vrm\":\"AB12CDE\",\"captureTimeUtc\":\"" + NOW + "\",\"cameraId\":\"MPS-DEMO-0001\","
                + "\"overviewImage\":{\"data\":\"" + b64 + "\"}}";
        assertThat(outcome(spans, normaliser, ok).get(0)).contains("overview sha256=" + Sha256.hex(jpeg));
        RawMessage m = new RawMessage(ok.getBytes(StandardCharsets.UTF_8), "nas-json", "nas-json", "http",
                "application/json", Map.of(), "127.0.0.1", null, null, NOW);
        assertThat(spans.extract(m).reads().get(0).overviewImage().base64().text()).as("a span, no text").isNull();
        assertThat(text.extract(m).reads().get(0).overviewImage().base64().text()).isEqualTo(b64);
    }

    private static byte[] picture(int size, int second) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        b[0] = (byte) 0xFF;
        b[1] = (byte) second;
        b[2] = (byte) 0xFF;
        return b;
    }

    /** Per read: the read (without its receipt-dependent nothing: same message) and a digest of its pictures, or the refusal. */
    private static List<String> outcome(Connector c, Normaliser normaliser, String json) {
        RawMessage m = new RawMessage(json.getBytes(StandardCharsets.UTF_8), "nas-json", "nas-json", "http",
                "application/json", Map.of(), "127.0.0.1", null, null, NOW);
        List<String> out = new ArrayList<>();
        try {
            Connector.Extracted e = c.extract(m);
            for (VendorRead r : e.reads()) {
                try {
                    Normaliser.Normalised n = normaliser.normalise(r, c.vendor(), m, e.decoded().attachments(), false);
                    out.add(n.read() + " plate sha256=" + (n.plateImage() == null ? null : Sha256.hex(n.plateImage()))
                            + " overview sha256=" + (n.overviewImage() == null ? null : Sha256.hex(n.overviewImage())));
                } catch (RejectedException x) {
                    out.add("refused " + x.reason() + ": " + x.detail());
                }
            }
        } catch (RejectedException x) {
            out.add("refused whole " + x.reason() + ": " + x.detail());
        }
        return out;
    }
}
