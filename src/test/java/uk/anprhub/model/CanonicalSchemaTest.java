package uk.anprhub.model;

import uk.anprhub.normalise.Normaliser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead.Direction;
import uk.anprhub.model.NasRead.TimeSource;

import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/nas-read.schema.json against what {@link NasRead} really serialises to. */
class CanonicalSchemaTest {

    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    static NasRead full() {
        return new NasRead(UUID.fromString("0b5e1c7e-3f1a-4c2d-9e8f-1a2b3c4d5e6f"), "MPS-HIK-0001:4f5e6a7b",
                "AB12CDE", "ab12 cde", Instant.parse("2024-07-15T12:00:00.123Z"), "20240715T1300001230",
                TimeSource.DEVICE_LOCAL_ASSUMED_TZ, Instant.parse("2024-07-15T12:00:01Z"), "MPS", "MPS-DEMO",
                "MPS-HIK-0001",
                new NasRead.DeviceRef("hikvision", "DS-2CD4A25FWD", "SERIAL1", "44:19:b6:00:00:01", "10.20.30.40", "1",
                        "A40 Westway EB", "cam-hik-0001", "front_gate"),
                2, Direction.TOWARDS, "forward", 271.5, 97, "GBR", 51.5194, -0.2196,
                new NasRead.Ptz("3", 10.5, -4.0, 2.0),
                new NasRead.ImageRef("image/jpeg", SHA, 1234L, null),
                new NasRead.ImageRef("image/jpeg", null, null, "http://10.20.30.40/picture/1.jpg"),
                new NasRead.PlateBox(10, 20, 120, 30),
                new NasRead.Vehicle("Ford", "Focus", "blue", "car"),
                new NasRead.Ingest("hikvision-isapi", "hikvision-isapi", "http", "10.20.30.40"),
                List.of("retransmission"));
    }

    static NasRead minimal() {
        return new NasRead(null, "MPS-DEMO-0001:AB12CDE:1721044800123", "AB12CDE", "AB12CDE",
                Instant.parse("2024-07-15T12:00:00.123Z"), "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, null,
                null, null, "MPS-DEMO-0001", null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, new NasRead.Ingest("nas-json", "nas-json", "file", null), List.of());
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() {
        var meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(SchemaId.V202012));
        assertThat(meta.validate(CanonicalSchema.schemaNode())).isEmpty();
        assertThat(meta.validate(CanonicalSchema.MAPPER.createObjectNode().put("type", 5))).isNotEmpty(); // it does check
        assertThat(CanonicalSchema.schemaNode().path("$schema").asText())
                .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void everyPropertyHasADescription() {
        List<String> missing = new ArrayList<>();
        describe("", CanonicalSchema.schemaNode(), missing);
        assertThat(missing).isEmpty();
    }

    private static void describe(String path, JsonNode schema, List<String> missing) {
        for (String container : List.of("properties", "$defs")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.path(container).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path + "/" + e.getKey();
                if (!e.getValue().hasNonNull("description") || e.getValue().get("description").asText().isBlank()) {
                    missing.add(p);
                }
                describe(p, e.getValue(), missing);
            }
        }
    }

    @Test
    void requiredFieldsAreThoseOfTheContract() {
        List<String> required = new ArrayList<>();
        CanonicalSchema.schemaNode().path("required").forEach(n -> required.add(n.asText()));
        assertThat(required).containsExactlyInAnyOrder("idempotencyKey", "vrm", "vrmAsRead", "captureTimeUtc",
                "captureTimeRaw", "timeSource", "cameraId", "ingest");
        assertThat(required).doesNotContain("readId", "receivedTimeUtc");
        assertThat(CanonicalSchema.schemaNode().path("description").asText())
                .contains("readId").contains("receivedTimeUtc").contains("golden");
    }

    /** The schema's properties are exactly the record's components, at every level (no drift either way). */
    @Test
    void schemaPropertiesMatchTheRecords() {
        JsonNode schema = CanonicalSchema.schemaNode();
        assertThat(names(schema.path("properties"))).containsExactlyInAnyOrderElementsOf(components(NasRead.class));
        assertThat(names(schema.at("/properties/deviceRef/properties"))).containsExactlyInAnyOrderElementsOf(components(NasRead.DeviceRef.class));
        assertThat(names(schema.at("/properties/ptz/properties"))).containsExactlyInAnyOrderElementsOf(components(NasRead.Ptz.class));
        assertThat(names(schema.at("/properties/plateBox/properties"))).containsExactlyInAnyOrderElementsOf(components(NasRead.PlateBox.class));
        assertThat(names(schema.at("/properties/vehicle/properties"))).containsExactlyInAnyOrderElementsOf(components(NasRead.Vehicle.class));
        assertThat(names(schema.at("/properties/ingest/properties"))).containsExactlyInAnyOrderElementsOf(components(NasRead.Ingest.class));
        List<String> image = new ArrayList<>(components(NasRead.ImageRef.class));
        image.add("data"); // input only
        assertThat(names(schema.at("/$defs/image/properties"))).containsExactlyInAnyOrderElementsOf(image);
        assertThat(enumValues(schema.at("/properties/timeSource/enum")))
                .containsExactlyElementsOf(Arrays.stream(TimeSource.values()).map(Enum::name).toList());
        assertThat(enumValues(schema.at("/properties/direction/enum")))
                .containsExactlyElementsOf(Arrays.stream(Direction.values()).map(Enum::name).toList());
    }

    private static List<String> names(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> enumValues(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }

    private static List<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    @Test
    void aFullyPopulatedReadSerialisesAsDocumentedAndValidates() {
        JsonNode json = CanonicalSchema.toJson(full());

        assertThat(CanonicalSchema.errors(json)).isEmpty();
        assertThat(json.get("captureTimeUtc").asText()).isEqualTo("2024-07-15T12:00:00.123Z");
        assertThat(json.get("receivedTimeUtc").asText()).isEqualTo("2024-07-15T12:00:01.000Z");
        assertThat(json.get("timeSource").asText()).isEqualTo("DEVICE_LOCAL_ASSUMED_TZ");
        assertThat(json.get("direction").asText()).isEqualTo("TOWARDS");
        assertThat(json.get("readId").asText()).isEqualTo("0b5e1c7e-3f1a-4c2d-9e8f-1a2b3c4d5e6f");
        assertThat(json.get("confidencePct").isInt()).isTrue();
        assertThat(json.at("/plateImage/bytes").asLong()).isEqualTo(1234);
        assertThat(json.at("/overviewImage").has("sha256")).isFalse();
        assertThat(names(json).subList(0, 11)).containsExactly("readId", "idempotencyKey", "vrm", "vrmAsRead",
                "captureTimeUtc", "captureTimeRaw", "timeSource", "receivedTimeUtc", "feedId", "sourceId", "cameraId");
        assertThat(names(json)).containsExactlyElementsOf(components(NasRead.class)); // declaration order
    }

    @Test
    void aMinimalReadOmitsEmptyFieldsAndValidates() {
        JsonNode json = CanonicalSchema.toJson(minimal());

        assertThat(CanonicalSchema.errors(json)).isEmpty();
        assertThat(names(json)).containsExactly("idempotencyKey", "vrm", "vrmAsRead", "captureTimeUtc",
                "captureTimeRaw", "timeSource", "cameraId", "ingest"); // no nulls, no empty flags, no readId
        assertThat(json.at("/ingest").size()).isEqualTo(3);
    }

    @Test
    void arraysAreValidatedReadByRead() {
        var array = CanonicalSchema.MAPPER.createArrayNode();
        array.add(CanonicalSchema.toJson(minimal()));
        ObjectNode bad = (ObjectNode) CanonicalSchema.toJson(full());
        bad.put("vrm", "ab12cde");
        array.add(bad);

        assertThat(CanonicalSchema.errors(array)).isNotEmpty().allSatisfy(e -> assertThat(e).startsWith("[1] "));
    }

    @Test
    void whatTheNormaliserProducesValidates() {
        Camera camera = new Camera("MPS-HIK-0001", "MPS-DEMO", "MPS", "hikvision",
                new Camera.Device("SERIAL1", null, null, null, null, null, null), 51.5194, -0.2196,
                ZoneId.of("Europe/London"), Map.of("forward", Direction.TOWARDS));
        Instant now = Instant.parse("2024-07-15T12:30:00Z");
        Normaliser normaliser = new Normaliser(CameraRegistry.of(List.of(camera)),
                new ValidationPolicy(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5), Duration.ofDays(7)));
        ObjectNode in = CanonicalSchema.MAPPER.createObjectNode();
        in.put("vrm", "ab12 cde").put("time", "20240715T1300001230").put("timeFormat", "yyyyMMdd'T'HHmmssSSSS")
                .put("vendorReadId", "4f5e").put("confidence", 0.97).put("confidenceScale", 1)
                .put("direction", "forward").put("lane", "2").put("country", "17").put("headingDeg", 90);
        in.putObject("device").put("serial", "SERIAL1").put("ip", "10.20.30.40");
        in.putObject("plateImage").put("base64", Base64.getEncoder().encodeToString(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1}));
        in.putObject("overviewImage").put("url", "http://10.20.30.40/1.jpg");
        in.putObject("vehicle").put("colour", "blue");
        in.putArray("flags").add("retransmission");
        VendorRead vendorRead = CanonicalSchema.MAPPER.convertValue(in, VendorRead.class);
        RawMessage message = new RawMessage(new byte[0], "hikvision-isapi", "hikvision-isapi", "http",
                "application/json", Map.of(), "10.20.30.40", null, null, now);

        NasRead read = normaliser.normalise(vendorRead, "hikvision", message, Map.of(), false).read();

        assertThat(CanonicalSchema.errors(read)).isEmpty();
        assertThat(CanonicalSchema.errors(read.withReadId(UUID.randomUUID()))).isEmpty();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("lower-case vrm", r -> r.put("vrm", "ab12cde")),
                bad("vrm with a space", r -> r.put("vrm", "AB12 CDE")),
                bad("vrm longer than 16", r -> r.put("vrm", "ABCDEFGHIJKLMNOPQ")),
                bad("confidence 101", r -> r.put("confidencePct", 101)),
                bad("confidence -1", r -> r.put("confidencePct", -1)),
                bad("confidence not an integer", r -> r.put("confidencePct", 97.5)),
                bad("sha256 in upper case", r -> ((ObjectNode) r.get("plateImage")).put("sha256", SHA.toUpperCase())),
                bad("sha256 too short", r -> ((ObjectNode) r.get("plateImage")).put("sha256", SHA.substring(1))),
                bad("image with neither hash, url nor data", r -> r.putObject("plateImage").put("contentType", "image/jpeg")),
                bad("unknown image field", r -> ((ObjectNode) r.get("plateImage")).put("path", "/x")),
                bad("country alpha-2", r -> r.put("countryCode", "GB")),
                bad("latitude 91", r -> r.put("latitude", 91)),
                bad("longitude -181", r -> r.put("longitude", -181)),
                bad("time without milliseconds", r -> r.put("captureTimeUtc", "2024-07-15T12:00:00Z")),
                bad("time with an offset", r -> r.put("captureTimeUtc", "2024-07-15T13:00:00.000+01:00")),
                bad("time as epoch number", r -> r.put("captureTimeUtc", 1721044800123L)),
                bad("unknown timeSource", r -> r.put("timeSource", "GPS")),
                bad("unknown direction", r -> r.put("direction", "NORTH")),
                bad("readId not a UUID", r -> r.put("readId", "42")),
                bad("missing idempotencyKey", r -> r.remove("idempotencyKey")),
                bad("missing cameraId", r -> r.remove("cameraId")),
                bad("missing ingest", r -> r.remove("ingest")),
                bad("ingest without connector", r -> ((ObjectNode) r.get("ingest")).remove("connector")),
                bad("unknown top-level field", r -> r.put("validation", "ok")),
                bad("unknown deviceRef field", r -> ((ObjectNode) r.get("deviceRef")).put("firmware", "1.0")),
                bad("unknown ingest field", r -> ((ObjectNode) r.get("ingest")).put("endpoint", "/x")),
                bad("plateBox as strings", r -> ((ObjectNode) r.get("plateBox")).put("x", "10")),
                bad("flags not strings", r -> r.putArray("flags").add(1)));
    }

    private static Arguments bad(String name, Consumer<ObjectNode> change) {
        return Arguments.of(name, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidReadsFailValidation(String name, Consumer<ObjectNode> change) {
        ObjectNode json = (ObjectNode) CanonicalSchema.toJson(full());
        assertThat(CanonicalSchema.errors(json)).isEmpty();

        change.accept(json);

        assertThat(CanonicalSchema.errors(json)).as(name).isNotEmpty();
    }

    @Test
    void imagesMayCarryBase64DataOnInput() {
        ObjectNode json = (ObjectNode) CanonicalSchema.toJson(minimal());
        json.putObject("plateImage").put("contentType", "image/jpeg").put("data", "/9j/4AAQ");
        json.putObject("overviewImage").put("url", "http://camera/1.jpg");

        assertThat(CanonicalSchema.errors(json)).isEmpty();
    }
}
