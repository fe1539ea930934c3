package uk.anprhub.normalise;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.decode.Decoded.Attachment;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.NasRead.Direction;
import uk.anprhub.model.NasRead;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.model.VendorRead;
import uk.anprhub.normalise.Normaliser.Normalised;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The registry, policies, images and helpers the tests of the normalise rules share (no Spring, no database). */
final class NormaliserFixtures {

    private NormaliserFixtures() {
    }

    /** The fixed "now" of every test: receipt time of the message and the policy's clock. */
    static final Instant NOW = Instant.parse("2024-07-15T12:30:00Z");
    static final String VENDOR = "hikvision";
    /** A plate used to check that no rejection detail ever carries the plate. */
    static final String PLATE = "ZZ99ZZZ";

    /** Fixed site camera with a time zone and a lane-relative direction map ("in" deliberately overrides the word list). */
    static final Camera LONDON = new Camera("MPS-HIK-0001", "MPS-DEMO", "MPS", VENDOR,
            new Camera.Device("SERIAL1", "44:19:b6:00:00:01", "10.0.0.1", "1", "cam-hik-0001", "front_gate", "A40 Westway EB"),
            51.5194, -0.2196, ZoneId.of("Europe/London"),
            Map.of("forward", Direction.TOWARDS, "reverse", Direction.AWAY, "in", Direction.AWAY));
    /** A camera with no time zone, no site and no direction map. */
    static final Camera BARE = new Camera("MPS-HIK-0002", "MPS-DEMO2", "MPS", VENDOR,
            new Camera.Device("SERIAL2", null, null, null, null, null, null), null, null, null, null);
    static final Camera AXIS = new Camera("MPS-AXIS-0001", "MPS-DEMO", "MPS", "axis",
            new Camera.Device("ACCC8E000001", null, null, null, null, null, null), 51.0, -1.0, ZoneId.of("Europe/London"), null);
    /** Two cameras whose (Windows) locales write dates day-first and month-first, for the mapping's connector. */
    static final Camera DAY_FIRST = new Camera("MPS-GEN-DMY", "MPS-DEMO", "MPS", VENDOR,
            new Camera.Device("SERIAL-DMY", null, null, null, null, null, null), null, null, ZoneId.of("Europe/London"),
            null, Map.of("hikvision-isapi", "d/M/yyyy H:mm:ss"));
    static final Camera MONTH_FIRST = new Camera("MPS-GEN-MDY", "MPS-DEMO", "MPS", VENDOR,
            new Camera.Device("SERIAL-MDY", null, null, null, null, null, null), null, null, ZoneId.of("Europe/London"),
            null, Map.of("hikvision-isapi", "M/d/yyyy H:mm:ss", "other-connector", "d/M/yyyy H:mm:ss"));
    /** A day-first override for another connector only: the mapping's pattern applies. */
    static final Camera OTHER_CONNECTOR = new Camera("MPS-GEN-OTH", "MPS-DEMO", "MPS", VENDOR,
            new Camera.Device("SERIAL-OTH", null, null, null, null, null, null), null, null, ZoneId.of("Europe/London"),
            null, Map.of("other-connector", "d/M/yyyy H:mm:ss"));
    static final CameraRegistry REGISTRY = CameraRegistry.of(List.of(LONDON, BARE, AXIS, DAY_FIRST, MONTH_FIRST, OTHER_CONNECTOR));

    static final ValidationPolicy POLICY = new ValidationPolicy(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5),
            Duration.ofDays(7));
    /** Like {@code normalise}: no age limit, so captured payloads of any date pass. */
    static final ValidationPolicy NO_AGE_LIMIT = new ValidationPolicy(Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofMinutes(5), null);

    /** Converts like Connector does: unknown fields are an error, so a typo in a test fails loudly. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};
    static final String JPEG_B64 = "/9j/4AAQSkZJRg==";
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
    static final byte[] PAYLOAD = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4};

    // ---------------------------------------------------------------- helpers

    static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) JSON.readTree(singleQuoted);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A valid read of camera LONDON, half an hour before NOW. */
    static ObjectNode base() {
        return json("{'vrm':'AB12CDE','time':'2024-07-15T12:00:00.000Z','device':{'serial':'SERIAL1'}}");
    }

    static ObjectNode base(Consumer<ObjectNode> change) {
        ObjectNode n = base();
        change.accept(n);
        return n;
    }

    static RawMessage message() {
        return new RawMessage(PAYLOAD, "hik-feed", "hikvision-isapi", "http", "application/json", Map.of(),
                "10.0.0.1", null, null, NOW);
    }

    static Normalised normalise(JsonNode in, ValidationPolicy policy, String vendor, boolean acceptUnknown,
                                Map<String, Attachment> attachments) {
        VendorRead read;
        try {
            read = JSON.treeToValue(in, VendorRead.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("test input does not fit VendorRead: " + e.getMessage(), e);
        }
        return new Normaliser(REGISTRY, policy).normalise(read, vendor, message(), attachments, acceptUnknown);
    }

    static void serial(ObjectNode read, String serial) {
        ((ObjectNode) read.get("device")).put("serial", serial);
    }

    static Normalised normalise(JsonNode in) {
        return normalise(in, POLICY, VENDOR, false, Map.of());
    }

    static NasRead read(JsonNode in) {
        return normalise(in).read();
    }

    static NasRead read(JsonNode in, ValidationPolicy policy) {
        return normalise(in, policy, VENDOR, false, Map.of()).read();
    }

    static RejectedException rejected(JsonNode in, ValidationPolicy policy, String vendor, boolean acceptUnknown) {
        RejectedException e = catchThrowableOfType(RejectedException.class,
                () -> normalise(in, policy, vendor, acceptUnknown, Map.of()));
        assertThat(e).as("expected a rejection of %s", in).isNotNull();
        assertThat(e.detail()).isNotBlank().isEqualTo(e.getMessage());
        return e;
    }

    static RejectedException rejected(JsonNode in) {
        return rejected(in, POLICY, VENDOR, false);
    }

    static void assertRejected(JsonNode in, String reason) {
        assertThat(rejected(in).reason()).as("reason for %s", in).isEqualTo(reason);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
