package uk.anprhub.normalise;

import uk.anprhub.message.RejectedException;
import uk.anprhub.model.CanonicalSchema;
import uk.anprhub.model.NasRead;
import uk.anprhub.model.ReadLimits;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.model.VendorRead;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.decode.Decoded.Attachment;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead.Direction;
import uk.anprhub.model.NasRead.ImageRef;
import uk.anprhub.model.NasRead.TimeSource;
import uk.anprhub.normalise.Normaliser.Normalised;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every rule of docs/connector-contract.md section 4, on the {@link Normaliser} alone (no Spring, no database). */
class NormaliserTest {

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

    // ---------------------------------------------------------------- 4.2 VRM

    /** Issue 10 items 7, 8, 17: non-finite numbers, control characters and oversize text are malformed fields. */
    @Nested
    class FieldRules {

        @ParameterizedTest
        @ValueSource(strings = {"{'confidence':1e999}", "{'confidence':'NaN'}", "{'confidence':'Infinity'}",
                "{'headingDeg':1e999}", "{'headingDeg':'-Infinity'}", "{'headingDeg':361}", "{'lane':1e12}",
                "{'lane':-1}", "{'latitude':'NaN'}", "{'longitude':1e999}", "{'ptz':{'pan':1e999}}",
                "{'latitudeDms':{'degree':'Infinity','direction':'N'}}"})
        void nonFiniteAndOutOfRangeNumbersAreMalformed(String fields) {
            ObjectNode in = base();
            in.setAll(json(fields));
            assertRejected(in, "malformed-field");
        }

        @ParameterizedTest
        @ValueSource(strings = {"vrm", "vendorReadId", "direction", "country"})
        void controlCharactersAreRefused(String field) {
            assertRejected(base(n -> n.put(field, "AB12\u0000CDE")), "malformed-field");
            assertRejected(base(n -> n.put(field, "AB12\nCDE")), "malformed-field");
        }

        @Test
        void controlCharactersInNestedTextAreRefused() {
            assertRejected(base(n -> n.putObject("vehicle").put("make", "Ford\u0000")), "malformed-field");
            assertRejected(base(n -> ((ObjectNode) n.get("device")).put("name", "cam\u001b[2J")), "malformed-field");
            assertRejected(base(n -> n.putArray("flags").add("retransmission\u0000")), "malformed-field");
        }

        @Test
        void textFieldsAreBounded() {
            String make = "F".repeat(ReadLimits.DEFAULTS.maxText());
            assertThat(read(base(n -> n.putObject("vehicle").put("make", make))).vehicle().make()).isEqualTo(make);
            RejectedException e = rejected(base(n -> n.putObject("vehicle").put("make", make + "F")));
            assertThat(e.reason()).isEqualTo("malformed-field");
            assertThat(e.detail()).contains("vehicle.make").doesNotContain(make);
            assertRejected(base(n -> n.put("vendorReadId", "1".repeat(ReadLimits.DEFAULTS.maxId() + 1))), "malformed-field");
            assertRejected(base(n -> n.put("vrm", "AB12CDE".repeat(5))), "malformed-field");
        }

        @Test
        void finiteValuesInRangePass() {
            NasRead r = read(base(n -> n.put("headingDeg", 360).put("lane", 0).put("confidence", 1e2)));
            assertThat(r.headingDeg()).isEqualTo(360.0);
            assertThat(r.lane()).isZero();
            assertThat(r.confidencePct()).isEqualTo(100);
        }
    }

    @Nested
    class Vrm {

        @ParameterizedTest(name = "''{0}'' -> {1}")
        @CsvSource(delimiter = '|', value = {
                "AB12CDE|AB12CDE",
                "AB12 CDE|AB12CDE",
                "'  AB12   CDE  '|AB12CDE",
                "AB-12-CDE|AB12CDE",
                "ab12 cde|AB12CDE",
                "Ab12.cDe|AB12CDE",
                "ÅB12 ÇDÉ|AB12CDE",
                "MÜNCHEN 123|MUNCHEN123",
                "B-ÄÖ 1234|BAO1234",
                "1234|1234",
                "ABCDEFGHIJKLMNOP|ABCDEFGHIJKLMNOP"})
        void isCleanedAndTheOriginalKept(String asRead, String vrm) {
            NasRead r = read(base(n -> n.put("vrm", asRead)));
            assertThat(r.vrm()).isEqualTo(vrm);
            assertThat(r.vrmAsRead()).isEqualTo(asRead);
        }

        @Test
        void aNumericVrmIsText() {
            assertThat(read(base(n -> n.put("vrm", 1234))).vrm()).isEqualTo("1234");
        }

        @ParameterizedTest
        @ValueSource(strings = {"UNKNOWN", "unknown", "NoPlate", "No Plate", "NOPLATE", "Not defined", "NOTDEFINED",
                "NONE", "none", "NULL", "null", "NA", "N/A", "n.a.", "?", "???", "--", "NOREAD", "No Read", "UNREAD", "***"})
        void noPlateMarkersAreQuarantinedAsNoPlate(String marker) {
            assertRejected(base(n -> n.put("vrm", marker)), "no-plate");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "   ", "-", " - "})
        void aBlankVrmIsMissing(String blank) {
            assertRejected(base(n -> n.put("vrm", blank)), "missing-vrm");
        }

        @Test
        void anAbsentOrNullVrmIsMissing() {
            assertRejected(base(n -> n.remove("vrm")), "missing-vrm");
            assertRejected(base(n -> n.putNull("vrm")), "missing-vrm");
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"AB12CD?", "AB?2CDE", "?B12CDE", "AB12 CD*", "AB12_CDE", "AB12#CDE", "AB12CD\uFFFD",
                "ab12 cd??", "AB-12-CD?"})
        void aPartlyReadPlateIsQuarantinedNotShortened(String asRead) {
            RejectedException e = rejected(base(n -> n.put("vrm", asRead)));
            assertThat(e.reason()).isEqualTo("partial-vrm");
            assertThat(e.detail()).contains("vrmGuess").doesNotContain("AB12").doesNotContain("CD");
        }

        @Test
        void theVendorsBestGuessIsStoredWithAFlagAndTheMarkerKept() {
            NasRead r = read(base(n -> n.put("vrm", "AB12 CD?").put("vrmGuess", "AB12 CDE")));
            assertThat(r.vrm()).isEqualTo("AB12CDE");
            assertThat(r.vrmAsRead()).isEqualTo("AB12 CD?");
            assertThat(r.flags()).containsExactly("vrm-best-guess");
            assertThat(r.idempotencyKey()).isEqualTo("MPS-HIK-0001:AB12CDE:" + Instant.parse("2024-07-15T12:00:00Z").toEpochMilli());
            assertThat(CanonicalSchema.errors(r)).isEmpty();
        }

        @Test
        void aBestGuessWithMarkersIsStillPartial() {
            assertRejected(base(n -> n.put("vrm", "AB12CD?").put("vrmGuess", "AB12C??")), "partial-vrm");
            assertRejected(base(n -> n.put("vrm", "AB12CD?").put("vrmGuess", "")), "partial-vrm");
            assertRejected(base(n -> n.put("vrm", "AB12CD?").put("vrmGuess", "-")), "partial-vrm");
        }

        @Test
        void aCompleteReadIgnoresTheGuess() {
            NasRead r = read(base(n -> n.put("vrm", "AB12CDE").put("vrmGuess", "AB12CDF")));
            assertThat(r.vrm()).isEqualTo("AB12CDE");
            assertThat(r.flags()).isNull();
        }

        @Test
        void aPlateOfMarkersOnlyIsNoPlateWhateverTheGuess() {
            assertRejected(base(n -> n.put("vrm", "??????").put("vrmGuess", "AB12CDE")), "no-plate");
            assertRejected(base(n -> n.put("vrm", "******")), "no-plate"); // Genetec's masked plate
        }

        @Test
        void moreThan16CharactersIsInvalid() {
            RejectedException e = rejected(base(n -> n.put("vrm", "ABCDEFGHIJKLMNOPQ")));
            assertThat(e.reason()).isEqualTo("invalid-vrm");
            assertThat(e.detail()).contains("17").contains("16");
            // separators do not count
            assertThat(read(base(n -> n.put("vrm", "ABCD-EFGH IJKL-MNOP"))).vrm()).isEqualTo("ABCDEFGHIJKLMNOP");
        }
    }

    // ---------------------------------------------------------------- 4.3 time

    @Nested
    class Time {

        static Stream<Arguments> formats() {
            return Stream.of(
                    // epochs are UTC by definition
                    Arguments.of(1721044800123L, "epoch-ms", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, "1721044800123"),
                    Arguments.of("1721044800123", "epoch-ms", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, "1721044800123"),
                    Arguments.of(1721044800L, "epoch-s", "2024-07-15T12:00:00.000Z", TimeSource.DEVICE_UTC, "1721044800"),
                    Arguments.of("1721044800.123", "epoch-s", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, "1721044800.123"),
                    Arguments.of(1721044800.5, "epoch-s", "2024-07-15T12:00:00.500Z", TimeSource.DEVICE_UTC, "1721044800.5"), // the digits as sent, not 1.7210448005E9
                    Arguments.of(1721044800123456L, "epoch-us", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, "1721044800123456"),
                    Arguments.of("1721044800123000", "epoch-us", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, "1721044800123000"),
                    // sub-millisecond digits are truncated, as for ISO fractions (Frigate sends float seconds)
                    Arguments.of(1721044800.123999, "epoch-s", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, "1721044800.123999"),
                    Arguments.of("1721044800123999", "epoch-us", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, "1721044800123999"),
                    Arguments.of("1721044800123.9", "epoch-ms", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, "1721044800123.9"),
                    // ISO 8601: Z and +00:00 are UTC, other offsets are DEVICE_OFFSET, none is the camera's zone
                    Arguments.of("2024-07-15T12:00:00Z", "iso", "2024-07-15T12:00:00.000Z", TimeSource.DEVICE_UTC, null),
                    Arguments.of("2024-07-15T12:00:00.123z", "iso", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, null),
                    Arguments.of("2024-07-15T12:00:00.123+00:00", "iso", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, null),
                    Arguments.of("2024-07-15T12:00:00.123456789Z", "iso", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_UTC, null),
                    Arguments.of("2024-07-15T13:00:00.123+01:00", "iso", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_OFFSET, null),
                    Arguments.of("2024-07-15T13:00:00.123+0100", "iso", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_OFFSET, null),
                    Arguments.of("2024-07-15T13:00:00+01", "iso", "2024-07-15T12:00:00.000Z", TimeSource.DEVICE_OFFSET, null),
                    Arguments.of("2024-07-15T07:00:00-05:00", "iso", "2024-07-15T12:00:00.000Z", TimeSource.DEVICE_OFFSET, null),
                    Arguments.of("2024-07-15T13:00:00", "iso", "2024-07-15T12:00:00.000Z", TimeSource.DEVICE_LOCAL_ASSUMED_TZ, null),
                    Arguments.of("2024-07-15 13:00:00.123", "iso", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_LOCAL_ASSUMED_TZ, null),
                    Arguments.of(" 2024-07-15T13:00:00 ", "iso", "2024-07-15T12:00:00.000Z", TimeSource.DEVICE_LOCAL_ASSUMED_TZ, null),
                    // java.time patterns: without an offset the camera's zone (London, BST in July)
                    Arguments.of("20240715130000123", "yyyyMMddHHmmssSSS", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_LOCAL_ASSUMED_TZ, null),
                    Arguments.of("20240715T1300001234", "yyyyMMdd'T'HHmmssSSSS", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_LOCAL_ASSUMED_TZ, null),
                    Arguments.of("2024-07-15 13:00:00.123", "yyyy-MM-dd HH:mm:ss.SSS", "2024-07-15T12:00:00.123Z", TimeSource.DEVICE_LOCAL_ASSUMED_TZ, null),
                    Arguments.of("15/07/2024 13:00:00", "dd/MM/yyyy HH:mm:ss", "2024-07-15T12:00:00.000Z", TimeSource.DEVICE_LOCAL_ASSUMED_TZ, null),
                    Arguments.of("2024-07-15 13:00:00+0100", "yyyy-MM-dd HH:mm:ssXX", "2024-07-15T12:00:00.000Z", TimeSource.DEVICE_OFFSET, null),
                    Arguments.of("2024-07-15T12:00:00+00:00", "yyyy-MM-dd'T'HH:mm:ssxxx", "2024-07-15T12:00:00.000Z", TimeSource.DEVICE_UTC, null),
                    Arguments.of("2024-07-15T12:00:00Z", "yyyy-MM-dd'T'HH:mm:ssXXX", "2024-07-15T12:00:00.000Z", TimeSource.DEVICE_UTC, null));
        }

        @ParameterizedTest(name = "{1}: {0}")
        @MethodSource("formats")
        void everyTimeFormatGivesUtcAndItsSource(Object time, String format, String utc, TimeSource source, String raw) {
            ObjectNode in = base(n -> n.put("timeFormat", format));
            in.set("time", JSON.valueToTree(time));

            NasRead r = read(in);

            assertThat(r.captureTimeUtc()).isEqualTo(Instant.parse(utc));
            assertThat(r.timeSource()).isEqualTo(source);
            assertThat(r.captureTimeRaw()).isEqualTo(raw != null ? raw : time.toString());
        }

        @Test
        void withoutTimeFormatTheTimeIsIso() {
            NasRead r = read(base(n -> n.put("time", "2024-07-15T13:00:00.250+01:00")));
            assertThat(r.captureTimeUtc()).isEqualTo(Instant.parse("2024-07-15T12:00:00.250Z"));
            assertThat(r.timeSource()).isEqualTo(TimeSource.DEVICE_OFFSET);
        }

        @Test
        void aLondonLocalTimeFollowsSummerAndWinterTime() {
            NasRead summer = read(base(n -> n.put("time", "2024-07-15 13:00:00")), NO_AGE_LIMIT);
            NasRead winter = read(base(n -> n.put("time", "2024-01-15 13:00:00")), NO_AGE_LIMIT);
            NasRead winterPattern = read(base(n -> n.put("time", "20240115130000000").put("timeFormat", "yyyyMMddHHmmssSSS")), NO_AGE_LIMIT);

            assertThat(summer.captureTimeUtc()).isEqualTo(Instant.parse("2024-07-15T12:00:00Z")); // BST = UTC+1
            assertThat(winter.captureTimeUtc()).isEqualTo(Instant.parse("2024-01-15T13:00:00Z")); // GMT = UTC
            assertThat(winterPattern.captureTimeUtc()).isEqualTo(Instant.parse("2024-01-15T13:00:00Z"));
            assertThat(List.of(summer.timeSource(), winter.timeSource(), winterPattern.timeSource()))
                    .containsOnly(TimeSource.DEVICE_LOCAL_ASSUMED_TZ);
        }

        @Test
        void aDeclaredTimeSourceWins() {
            NasRead r = read(base(n -> n.put("time", "20240715130000").put("timeFormat", "yyyyMMddHHmmss")
                    .put("timeSource", "FILENAME")));
            assertThat(r.timeSource()).isEqualTo(TimeSource.FILENAME);
            assertThat(r.captureTimeUtc()).isEqualTo(Instant.parse("2024-07-15T12:00:00Z"));
        }

        @Test
        void anUnknownDeclaredTimeSourceIsAMappingFailure() {
            assertRejected(base(n -> n.put("timeSource", "GPS")), "mapping-failed");
        }

        @Test
        void microsecondsSentAsMillisecondsAreImplausibleWithAHint() {
            RejectedException e = rejected(base(n -> n.put("time", 1721044800123456L).put("timeFormat", "epoch-ms")));
            assertThat(e.reason()).isEqualTo("implausible-epoch");
            assertThat(e.detail()).contains("2000-2100").contains("microseconds").contains("timeFormat");
        }

        @Test
        void secondsSentAsMillisecondsAreImplausibleWithAHint() {
            RejectedException e = rejected(base(n -> n.put("time", 1721044800L).put("timeFormat", "epoch-ms")));
            assertThat(e.reason()).isEqualTo("implausible-epoch");
            assertThat(e.detail()).contains("larger unit").contains("seconds");
        }

        @ParameterizedTest
        @CsvSource({"1721044800123,epoch-s", "1721044800123,epoch-us", "0,epoch-ms", "-1,epoch-s", "4200000000,epoch-s"})
        void epochsOutside2000To2100AreImplausible(long value, String format) {
            assertRejected(base(n -> n.put("time", value).put("timeFormat", format)), "implausible-epoch");
        }

        @Test
        void beyondTheFutureSkewIsRejected() {
            RejectedException e = rejected(base(n -> n.put("time", NOW.plus(Duration.ofMinutes(6)).toString())));
            assertThat(e.reason()).isEqualTo("future-capture-time");
            assertThat(e.detail()).contains("360 s").contains("300 s");
            // within the skew: a camera clock slightly ahead is tolerated
            assertThat(read(base(n -> n.put("time", NOW.plus(Duration.ofMinutes(4)).toString()))).captureTimeUtc())
                    .isEqualTo(NOW.plus(Duration.ofMinutes(4)));
        }

        @Test
        void aLocalTimeInTheWrongZoneShowsUpAsFuture() {
            // a camera sending UTC+2 local time without offset, registered as London: one hour in the future
            assertRejected(base(n -> n.put("time", "2024-07-15T14:30:00")), "future-capture-time");
        }

        @Test
        void olderThanMaxAgeIsExpired() {
            RejectedException e = rejected(base(n -> n.put("time", NOW.minus(Duration.ofDays(8)).toString())));
            assertThat(e.reason()).isEqualTo("expired-capture-time");
            assertThat(e.detail()).contains("7 days");
            assertThat(read(base(n -> n.put("time", NOW.minus(Duration.ofDays(6)).toString()))).captureTimeUtc())
                    .isEqualTo(NOW.minus(Duration.ofDays(6)));
        }

        @Test
        void withoutMaxAgeOldReadsPass() {
            assertThat(read(base(n -> n.put("time", "2020-04-24T15:16:27Z")), NO_AGE_LIMIT).captureTimeUtc())
                    .isEqualTo(Instant.parse("2020-04-24T15:16:27Z"));
        }

        @Test
        void ageIsJudgedAgainstTheClockAndFutureAgainstReceipt() {
            // the policy's clock is a day later than the message's receipt (a quarantined read re-processed later)
            ValidationPolicy later = new ValidationPolicy(Clock.fixed(NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC),
                    Duration.ofMinutes(5), Duration.ofDays(7));
            assertThat(rejected(base(n -> n.put("time", NOW.minus(Duration.ofDays(6).plusHours(12)).toString())), later, VENDOR, false)
                    .reason()).isEqualTo("expired-capture-time");
            assertThat(rejected(base(n -> n.put("time", NOW.plus(Duration.ofHours(1)).toString())), later, VENDOR, false)
                    .reason()).isEqualTo("future-capture-time");
        }

        @Test
        void aMissingTimeIsRejected() {
            assertRejected(base(n -> n.remove("time")), "missing-capture-time");
            assertRejected(base(n -> n.putNull("time")), "missing-capture-time");
            assertRejected(base(n -> n.put("time", "")), "missing-capture-time");
            assertRejected(base(n -> n.put("time", " ")), "missing-capture-time");
            assertRejected(base(n -> n.put("time", "-")), "missing-capture-time");
        }

        @Test
        void aTimeThatDoesNotMatchItsFormatIsInvalid() {
            assertRejected(base(n -> n.put("time", "yesterday")), "invalid-capture-time");
            assertRejected(base(n -> n.put("time", "2024-13-45T12:00:00Z")), "invalid-capture-time");
            assertRejected(base(n -> n.put("time", "2024/07/15 13:00:00").put("timeFormat", "yyyy-MM-dd HH:mm:ss")), "invalid-capture-time");
            assertRejected(base(n -> n.put("time", "soon").put("timeFormat", "epoch-ms")), "invalid-capture-time");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2024-07-15T13:00:00Z", "2024-07-15T13:00:00.1Z", "2024-07-15T13:00:00.123Z",
                "2024-07-15T13:00:00.123456789Z", "2024-02-29T23:59:59.999Z", "1999-12-31T00:00:00.000000Z"})
        void theFastUtcPathReadsWhatTheFormatterReads(String time) {
            assertThat(Normaliser.plainUtc(time)).isEqualTo(Instant.parse(time));
        }

        @ParameterizedTest
        @ValueSource(strings = {"2024-13-45T12:00:00Z", "2023-02-29T12:00:00Z", "2024-07-15T13:00:00.Z",
                "2024-07-15T13:00:00+01:00", "2024-07-15t13:00:00z", "2024-07-15T13:00Z", "2024-07-15 13:00:00Z",
                "2024-07-15T13:0a:00Z", "2024-07-15T13:00:00.1234567890Z"})
        void theFastUtcPathLeavesEverythingElseToTheFormatter(String time) {
            assertThat(Normaliser.plainUtc(time)).isNull();
        }

        @Test
        void anInvalidPatternIsAMappingFailure() {
            assertRejected(base(n -> n.put("time", "2024-07-15").put("timeFormat", "yyyy-MM-dd {")), "mapping-failed");
        }

        /** "3/7/2024 13:00:00" is 3 July for a day-first camera and 7 March for a month-first one. */
        @Test
        void aCamerasOwnTimeFormatDecidesTheDateOrder() {
            Consumer<ObjectNode> ambiguous = n -> n.put("time", "3/7/2024 13:00:00").put("timeFormat", "M/d/yyyy H:mm:ss");
            NasRead dayFirst = read(base(ambiguous.andThen(n -> ((ObjectNode) n.get("device")).put("serial", "SERIAL-DMY"))), NO_AGE_LIMIT);
            NasRead monthFirst = read(base(ambiguous.andThen(n -> ((ObjectNode) n.get("device")).put("serial", "SERIAL-MDY"))), NO_AGE_LIMIT);
            NasRead otherConnector = read(base(ambiguous.andThen(n -> ((ObjectNode) n.get("device")).put("serial", "SERIAL-OTH"))), NO_AGE_LIMIT);
            NasRead noOverride = read(base(ambiguous), NO_AGE_LIMIT);

            assertThat(dayFirst.captureTimeUtc()).isEqualTo(Instant.parse("2024-07-03T12:00:00Z")); // BST
            assertThat(monthFirst.captureTimeUtc()).isEqualTo(Instant.parse("2024-03-07T13:00:00Z")); // GMT
            assertThat(otherConnector.captureTimeUtc()).isEqualTo(monthFirst.captureTimeUtc()); // the mapping's order
            assertThat(noOverride.captureTimeUtc()).isEqualTo(monthFirst.captureTimeUtc());
            assertThat(dayFirst.timeSource()).isEqualTo(TimeSource.DEVICE_LOCAL_ASSUMED_TZ);
            assertThat(dayFirst.captureTimeRaw()).isEqualTo("3/7/2024 13:00:00");
            // a day above 12 only reads one way: the month-first camera refuses it rather than guess
            Consumer<ObjectNode> june24 = n -> n.put("time", "24/6/2024 13:00:00").put("timeFormat", "M/d/yyyy H:mm:ss");
            assertThat(read(base(june24.andThen(n -> serial(n, "SERIAL-DMY"))), NO_AGE_LIMIT).captureTimeUtc())
                    .isEqualTo(Instant.parse("2024-06-24T12:00:00Z"));
            assertThat(rejected(base(june24.andThen(n -> serial(n, "SERIAL-MDY"))), NO_AGE_LIMIT, VENDOR, false).reason())
                    .isEqualTo("invalid-capture-time");
        }

        @Test
        void aCamerasTimeFormatKeepsAnOffsetTheMappingAppends() {
            // Genetec's DateUtc + TimeUtc: the mapping appends Z, the camera's pattern gives only the locale's order
            NasRead r = read(base(n -> { n.put("time", "3/7/2024 20:29:26Z").put("timeFormat", "M/d/yyyy H:mm:ssXXX"); serial(n, "SERIAL-DMY"); }), NO_AGE_LIMIT);
            assertThat(r.captureTimeUtc()).isEqualTo(Instant.parse("2024-07-03T20:29:26Z"));
            assertThat(r.timeSource()).isEqualTo(TimeSource.DEVICE_UTC);
        }

        @Test
        void epochsAndIsoTimesIgnoreTheCamerasTimeFormat() {
            assertThat(read(base(n -> { n.put("time", 1721044800123L).put("timeFormat", "epoch-ms"); serial(n, "SERIAL-DMY"); })).captureTimeUtc())
                    .isEqualTo(Instant.parse("2024-07-15T12:00:00.123Z"));
            assertThat(read(base(n -> { n.put("time", "2024-07-15T13:00:00"); serial(n, "SERIAL-DMY"); })).captureTimeUtc())
                    .isEqualTo(Instant.parse("2024-07-15T12:00:00Z"));
        }

        @Test
        void aTimeThatDoesNotMatchTheCamerasFormatNamesTheRegistryEntry() {
            RejectedException e = rejected(base(n -> { n.put("time", "2024/07/15 13:00").put("timeFormat", "yyyy/MM/dd HH:mm"); serial(n, "SERIAL-DMY"); }));
            assertThat(e.reason()).isEqualTo("invalid-capture-time");
            assertThat(e.detail()).contains("d/M/yyyy H:mm:ss").contains("MPS-GEN-DMY").contains("timeFormats.hikvision-isapi");
        }

        @Test
        void aLocalTimeOfACameraWithoutTimeZoneIsQuarantined() {
            RejectedException e = rejected(json("{'vrm':'AB12CDE','time':'2024-07-15T13:00:00','device':{'serial':'SERIAL2'}}"));
            assertThat(e.reason()).isEqualTo("time-zone-unknown");
            assertThat(e.detail()).contains("MPS-HIK-0002").contains("timeZone");
            // with an offset the zone is not needed
            assertThat(read(json("{'vrm':'AB12CDE','time':'2024-07-15T13:00:00+01:00','device':{'serial':'SERIAL2'}}")).timeSource())
                    .isEqualTo(TimeSource.DEVICE_OFFSET);
        }

        @Test
        void theFallbackZoneIsForCamerasWithoutOne() {
            ValidationPolicy paris = new ValidationPolicy(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5),
                    Duration.ofDays(7), ZoneId.of("Europe/Paris"));
            NasRead bare = read(json("{'vrm':'AB12CDE','time':'2024-07-15T14:00:00','device':{'serial':'SERIAL2'}}"), paris);
            NasRead london = read(base(n -> n.put("time", "2024-07-15T13:00:00")), paris);

            assertThat(bare.captureTimeUtc()).isEqualTo(Instant.parse("2024-07-15T12:00:00Z")); // CEST = UTC+2
            assertThat(bare.timeSource()).isEqualTo(TimeSource.DEVICE_LOCAL_ASSUMED_TZ);
            assertThat(london.captureTimeUtc()).isEqualTo(Instant.parse("2024-07-15T12:00:00Z")); // the camera's own zone wins
        }

        @Test
        void theOfflinePolicyHasNoAgeLimitAndTheFallbackZone() {
            ValidationPolicy offline = ValidationPolicy.offline(ZoneId.of("UTC"));
            assertThat(offline.maxAge()).isNull();
            assertThat(offline.futureSkew()).isEqualTo(Duration.ofMinutes(5));
            NasRead r = normalise(json("{'vrm':'AB12CDE','time':'2015-07-15T13:00:00','device':{'serial':'SERIAL2'}}"),
                    offline, VENDOR, false, Map.of()).read();
            assertThat(r.captureTimeUtc()).isEqualTo(Instant.parse("2015-07-15T13:00:00Z"));
        }
    }

    // ---------------------------------------------------------------- 4.4 confidence, country, direction, location

    @Nested
    class Confidence {

        static Stream<Arguments> scales() {
            return Stream.of(
                    Arguments.of(0.97, 1, 97),
                    Arguments.of("0.97", "1", 97),
                    Arguments.of(0.285, 1, 29), // half up, even where 0.285 * 100 is 28.4999... in binary
                    Arguments.of(0.005, 1, 1),
                    Arguments.of(1, 1, 100),
                    Arguments.of(0, 1, 0),
                    Arguments.of(97, 100, 97),
                    Arguments.of("97", 100, 97),
                    Arguments.of(97.5, 100, 98),
                    Arguments.of(97.4, 100, 97),
                    Arguments.of(100, 100, 100),
                    Arguments.of(97.5, null, 98), // no scale: 0-100
                    Arguments.of(975, 1000, 98),
                    Arguments.of(974, 1000, 97),
                    Arguments.of(999, 1000, 100),
                    Arguments.of(0, 1000, 0),
                    Arguments.of("-", 100, null),
                    Arguments.of("", 1, null),
                    Arguments.of(null, 100, null));
        }

        @ParameterizedTest(name = "{0} on scale {1} -> {2}")
        @MethodSource("scales")
        void isAnIntegerPercent(Object value, Object scale, Integer pct) {
            ObjectNode in = base();
            if (value != null) in.set("confidence", JSON.valueToTree(value));
            if (scale != null) in.set("confidenceScale", JSON.valueToTree(scale));
            assertThat(read(in).confidencePct()).isEqualTo(pct);
        }

        @ParameterizedTest(name = "{0} on scale {1}")
        @CsvSource({"101,100", "-1,100", "1.01,1", "-0.1,1", "100.5,100", "1200,1000", "high,100"})
        void outOfRangeOrNotANumberIsMalformed(String value, String scale) {
            assertRejected(base(n -> n.put("confidence", value).put("confidenceScale", scale)), "malformed-field");
        }
    }

    @Nested
    class Country {

        @ParameterizedTest(name = "''{0}'' -> {1}")
        @CsvSource(nullValues = "null", value = {
                "GBR,GBR", "gbr,GBR", "GB,GBR", "gb,GBR", "UK,GBR", "uk,GBR", "' gb ',GBR", "gb-eng,GBR",
                "us-ca,USA", "US-CA,USA", "17,GBR", "FRA,FRA", "de,DEU", "IRL,IRL",
                "unknown,null", "XX,null", "ZZZ,null", "99,null", "-,null", "'',null", "G,null", "1a,null"})
        void becomesAlpha3OrNull(String raw, String alpha3) {
            assertThat(Countries.toAlpha3(raw)).isEqualTo(alpha3);
            assertThat(read(base(n -> n.put("country", raw))).countryCode()).isEqualTo(alpha3);
        }

        @Test
        void aHikvisionNumberMayBeAJsonNumber() {
            assertThat(read(base(n -> n.put("country", 17))).countryCode()).isEqualTo("GBR");
            assertThat(read(base()).countryCode()).isNull();
            assertThat(Countries.toAlpha3(null)).isNull();
        }
    }

    @Nested
    class DirectionRule {

        @ParameterizedTest(name = "''{0}'' -> {1}")
        @CsvSource({"forward,TOWARDS", "Forward,TOWARDS", "' FORWARD ',TOWARDS", "reverse,AWAY",
                "in,AWAY", // the camera's map wins over the common words
                "approach,TOWARDS", "out,AWAY", "sideways,UNKNOWN"})
        void theCameraMapComesFirst(String raw, Direction expected) {
            NasRead r = read(base(n -> n.put("direction", raw)));
            assertThat(r.direction()).isEqualTo(expected);
            assertThat(r.directionRaw()).isEqualTo(raw);
        }

        @ParameterizedTest(name = "''{0}'' -> {1}")
        @CsvSource({"towards,TOWARDS", "toward,TOWARDS", "Approach,TOWARDS", "approaching,TOWARDS", "in,TOWARDS",
                "IN,TOWARDS", "1,TOWARDS", "away,AWAY", "Moving Away,AWAY", "out,AWAY", "goaway,AWAY", "2,AWAY",
                "unknown,UNKNOWN", "0,UNKNOWN", "forward,UNKNOWN", "Obverse,UNKNOWN"})
        void thenCommonWords(String raw, Direction expected) {
            NasRead r = read(json("{'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','device':{'serial':'SERIAL2'}}")
                    .put("direction", raw));
            assertThat(r.direction()).isEqualTo(expected);
            assertThat(r.directionRaw()).isEqualTo(raw);
        }

        @Test
        void aNumericDirectionIsAWord() {
            assertThat(read(base(n -> n.put("direction", 2))).direction()).isEqualTo(Direction.AWAY);
        }

        @Test
        void noDirectionIsAbsentNotUnknown() {
            NasRead r = read(base(n -> n.put("direction", "-")));
            assertThat(r.direction()).isNull();
            assertThat(r.directionRaw()).isNull();
        }
    }

    @Nested
    class Location {

        @Test
        void theReadsOwnDecimalsWin() {
            NasRead r = read(base(n -> n.put("latitude", 52.1).put("longitude", "-1.25")));
            assertThat(r.latitude()).isEqualTo(52.1);
            assertThat(r.longitude()).isEqualTo(-1.25);
        }

        @Test
        void degreesMinutesSecondsNorthAndWest() {
            ObjectNode in = base();
            in.putObject("latitudeDms").put("degree", 51).put("minute", 30).put("sec", 26.64).put("direction", "N");
            in.putObject("longitudeDms").put("degree", "0").put("minute", "7").put("sec", "39.96").put("direction", "W");
            NasRead r = read(in);
            assertThat(r.latitude()).isEqualTo(51.5074);
            assertThat(r.longitude()).isEqualTo(-0.127767); // 6 decimal places
        }

        @Test
        void degreesMinutesSecondsSouthAndEast() {
            ObjectNode in = base();
            in.putObject("latitudeDms").put("degree", 33).put("minute", 52).put("sec", 4.8).put("direction", "S");
            in.putObject("longitudeDms").put("degree", 151).put("minute", 12).put("sec", 36).put("direction", "e");
            NasRead r = read(in);
            assertThat(r.latitude()).isEqualTo(-33.868);
            assertThat(r.longitude()).isEqualTo(151.21);
        }

        @Test
        void decimalsBeatDms() {
            ObjectNode in = base(n -> n.put("latitude", 52.0).put("longitude", -1.0));
            in.putObject("latitudeDms").put("degree", 10).put("direction", "N");
            in.putObject("longitudeDms").put("degree", 10).put("direction", "E");
            NasRead r = read(in);
            assertThat(r.latitude()).isEqualTo(52.0);
            assertThat(r.longitude()).isEqualTo(-1.0);
        }

        @Test
        void elseTheCameraSite() {
            NasRead r = read(base());
            assertThat(r.latitude()).isEqualTo(51.5194);
            assertThat(r.longitude()).isEqualTo(-0.2196);
        }

        @Test
        void noSiteNoLocation() {
            NasRead r = read(json("{'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','device':{'serial':'SERIAL2'}}"));
            assertThat(r.latitude()).isNull();
            assertThat(r.longitude()).isNull();
        }

        @Test
        void outOfRangeOrNotANumberIsMalformed() {
            assertRejected(base(n -> n.put("latitude", 91).put("longitude", 0)), "malformed-field");
            assertRejected(base(n -> n.put("latitude", 0).put("longitude", -180.5)), "malformed-field");
            assertRejected(base(n -> n.put("latitude", "north").put("longitude", 0)), "malformed-field");
            ObjectNode dms = base();
            dms.putObject("latitudeDms").put("degree", 95).put("direction", "S");
            assertRejected(dms, "malformed-field");
        }
    }

    // ---------------------------------------------------------------- 4.5 images

    @Nested
    class Images {

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
            assertThat(Base64.getDecoder().decode(Normaliser.base64Bytes(mime))).isEqualTo(picture);
            assertThat(Base64.getDecoder().decode(Normaliser.base64Bytes("data:image/jpeg;base64,\r\n" + mime + "\r\n")))
                    .isEqualTo(picture);
            // the whitespace Character.isWhitespace knows, including beyond Latin-1, as the char-by-char copy did
            assertThat(new String(Normaliser.base64Bytes("\u001c/9j/\u000b4A\fAQ\u2028Sk\u3000ZJ Rg==\t"), StandardCharsets.ISO_8859_1))
                    .isEqualTo("/9j/4AAQSkZJRg==");
            // anything else stays for the strict decoder to refuse
            assertThat(new String(Normaliser.base64Bytes("/9j?\u00a0\u00e9\u0000"), StandardCharsets.ISO_8859_1))
                    .isEqualTo("/9j?\u00a0\u00e9\u0000");
            assertThat(Normaliser.base64Bytes("/9j/\u0141AA\ud83d\ude00")).contains((byte) '?');
            assertThat(Normaliser.base64Bytes("")).isEmpty();
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
            assertThat(Normaliser.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        }
    }

    // ---------------------------------------------------------------- 4.6 idempotency key

    @Nested
    class IdempotencyKey {

        @Test
        void cameraAndVendorReadId() {
            assertThat(read(base(n -> n.put("vendorReadId", "4f5e6a7b-0000"))).idempotencyKey())
                    .isEqualTo("MPS-HIK-0001:4f5e6a7b-0000");
            assertThat(read(base(n -> n.put("vendorReadId", 12345))).idempotencyKey())
                    .isEqualTo("MPS-HIK-0001:12345");
        }

        @Test
        void elseCameraVrmAndCaptureMillis() {
            assertThat(read(base(n -> n.put("time", "2024-07-15T12:00:00.123Z"))).idempotencyKey())
                    .isEqualTo("MPS-HIK-0001:AB12CDE:1721044800123");
            assertThat(read(base(n -> n.put("vendorReadId", "-"))).idempotencyKey())
                    .isEqualTo("MPS-HIK-0001:AB12CDE:1721044800000");
        }

        @Test
        void theSameReadSentDifferentlyHasTheSameKey() {
            NasRead a = read(base(n -> n.put("vrm", "ab12 cde").put("time", "2024-07-15T13:00:00+01:00")));
            NasRead b = read(base(n -> n.put("vrm", "AB12-CDE").put("time", 1721044800000L).put("timeFormat", "epoch-ms")));
            assertThat(a.idempotencyKey()).isEqualTo(b.idempotencyKey());
        }

        @Test
        void theCameraIsPartOfTheKey() {
            NasRead a = read(base(n -> n.put("vendorReadId", "1")));
            NasRead b = read(json("{'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','vendorReadId':'1','device':{'serial':'SERIAL2'}}"));
            assertThat(a.idempotencyKey()).isNotEqualTo(b.idempotencyKey());
        }
    }

    // ---------------------------------------------------------------- 4.1 camera

    @Nested
    class CameraRule {

        @Test
        void theRegistryGivesTheNasIds() {
            NasRead r = read(base());
            assertThat(r.cameraId()).isEqualTo("MPS-HIK-0001");
            assertThat(r.sourceId()).isEqualTo("MPS-DEMO");
            assertThat(r.feedId()).isEqualTo("MPS");
        }

        @Test
        void anUnknownCameraIsRejectedNamingItsIdentity() {
            RejectedException e = rejected(base(n -> ((ObjectNode) n.get("device")).put("serial", "NOPE-42")));
            assertThat(e.reason()).isEqualTo("unknown-camera");
            assertThat(e.detail()).contains("hikvision").contains("serial=NOPE-42");

            RejectedException none = rejected(base(n -> n.remove("device")));
            assertThat(none.reason()).isEqualTo("unknown-camera");
            assertThat(none.detail()).contains("no camera identity");
        }

        @Test
        void aWeakerIdentityNeverFilesTheReadUnderASibling() {
            // an unknown serial with LONDON's MAC: the serial decides, the MAC is not tried
            RejectedException unknownSerial = rejected(json("""
                    {'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','device':{'serial':'NOPE-42','mac':'44:19:b6:00:00:01'}}"""));
            assertThat(unknownSerial.reason()).isEqualTo("unknown-camera");
            assertThat(unknownSerial.detail()).contains("serial NOPE-42 names no hikvision camera");
            // LONDON's serial with another channel of its server: disagree
            RejectedException sibling = rejected(json("""
                    {'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','device':{'serial':'SERIAL1','ip':'10.0.0.1','channel':'2'}}"""));
            assertThat(sibling.reason()).isEqualTo("unknown-camera");
            assertThat(sibling.detail()).contains("MPS-HIK-0001").contains("channel 2");
            // accepted unknown cameras are flagged, not filed under LONDON
            NasRead accepted = normalise(json("""
                    {'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','device':{'ip':'10.0.0.1','channel':'3'}}"""),
                    POLICY, VENDOR, true, Map.of()).read();
            assertThat(accepted.cameraId()).isEqualTo("UNKNOWN:10.0.0.1#3");
            assertThat(accepted.flags()).containsExactly("unknown-camera");
        }

        @Test
        void identitiesArePerVendor() {
            // SERIAL1 is a hikvision camera: from an axis connector it is unknown
            assertThat(rejected(base(), POLICY, "axis", false).reason()).isEqualTo("unknown-camera");
            NasRead axis = normalise(json("{'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','device':{'serial':'ACCC8E000001'}}"),
                    POLICY, "axis", false, Map.of()).read();
            assertThat(axis.cameraId()).isEqualTo("MPS-AXIS-0001");
            assertThat(axis.deviceRef().vendor()).isEqualTo("axis");
        }

        @Test
        void aCameraIdNeedsNoVendorMatch() {
            NasRead r = normalise(json("{'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','device':{'cameraId':'MPS-HIK-0001'}}"),
                    POLICY, "nas", false, Map.of()).read();
            assertThat(r.cameraId()).isEqualTo("MPS-HIK-0001");
        }

        @Test
        void acceptUnknownCameraStoresWithAFlag() {
            NasRead r = normalise(base(n -> ((ObjectNode) n.get("device")).put("serial", "NOPE-42")),
                    POLICY, VENDOR, true, Map.of()).read();
            assertThat(r.flags()).containsExactly("unknown-camera");
            assertThat(r.cameraId()).isEqualTo("UNKNOWN:NOPE-42");
            assertThat(r.idempotencyKey()).startsWith("UNKNOWN:NOPE-42:");
            assertThat(r.feedId()).isNull();
            assertThat(r.sourceId()).isNull();
            assertThat(r.latitude()).isNull();
            assertThat(r.deviceRef().serial()).isEqualTo("NOPE-42");
            assertThat(CanonicalSchema.errors(r)).isEmpty();
        }

        @Test
        void anUnknownCameraIdIsKeptWhenAccepted() {
            NasRead r = normalise(json("{'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','device':{'cameraId':'MPS-NEW-0001'}}"),
                    POLICY, "nas", true, Map.of()).read();
            assertThat(r.cameraId()).isEqualTo("UNKNOWN:MPS-NEW-0001");
            assertThat(r.flags()).containsExactly("unknown-camera");
        }

        @Test
        void anAcceptedUnknownCameraStillNeedsAZoneForLocalTimes() {
            ObjectNode in = base(n -> {
                ((ObjectNode) n.get("device")).put("serial", "NOPE-42");
                n.put("time", "2024-07-15T13:00:00");
            });
            RejectedException e = rejected(in, POLICY, VENDOR, true);
            assertThat(e.reason()).isEqualTo("time-zone-unknown");
            assertThat(e.detail()).contains("(unknown)");

            ValidationPolicy london = new ValidationPolicy(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5),
                    Duration.ofDays(7), ZoneId.of("Europe/London"));
            NasRead r = normalise(in, london, VENDOR, true, Map.of()).read();
            assertThat(r.captureTimeUtc()).isEqualTo(Instant.parse("2024-07-15T12:00:00Z"));
            assertThat(r.timeSource()).isEqualTo(TimeSource.DEVICE_LOCAL_ASSUMED_TZ);
        }
    }

    // ---------------------------------------------------------------- the whole read

    @Test
    void everyFieldIsCarriedThrough() {
        ObjectNode in = json("""
                {'vrm':'ab12 cde','time':'20240715T1300001230','timeFormat':"yyyyMMdd'T'HHmmssSSSS",'vendorReadId':'4f5e',
                 'device':{'serial':'SERIAL1','mac':'44:19:b6:00:00:01','ip':'10.0.0.1','channel':'1','model':'DS-2CD'},
                 'confidence':'97','confidenceScale':100,'direction':'forward','headingDeg':'271.5','lane':'2',
                 'country':'17','vehicle':{'make':'Ford','colour':'blue'},'plateBox':{'x':1,'y':2,'w':30,'h':10},
                 'ptz':{'preset':'3','pan':1.5},'flags':['retransmission']}""");

        NasRead r = read(in);

        assertThat(r.readId()).isNull();
        assertThat(r.idempotencyKey()).isEqualTo("MPS-HIK-0001:4f5e");
        assertThat(r.vrm()).isEqualTo("AB12CDE");
        assertThat(r.vrmAsRead()).isEqualTo("ab12 cde");
        assertThat(r.captureTimeUtc()).isEqualTo(Instant.parse("2024-07-15T12:00:00.123Z"));
        assertThat(r.captureTimeRaw()).isEqualTo("20240715T1300001230");
        assertThat(r.timeSource()).isEqualTo(TimeSource.DEVICE_LOCAL_ASSUMED_TZ);
        assertThat(r.receivedTimeUtc()).isEqualTo(NOW);
        assertThat(r.deviceRef()).isEqualTo(new NasRead.DeviceRef(VENDOR, "DS-2CD", "SERIAL1", "44:19:b6:00:00:01",
                "10.0.0.1", "1", null, null, null));
        assertThat(r.lane()).isEqualTo(2);
        assertThat(r.direction()).isEqualTo(Direction.TOWARDS);
        assertThat(r.directionRaw()).isEqualTo("forward");
        assertThat(r.headingDeg()).isEqualTo(271.5);
        assertThat(r.confidencePct()).isEqualTo(97);
        assertThat(r.countryCode()).isEqualTo("GBR");
        assertThat(r.vehicle()).isEqualTo(new NasRead.Vehicle("Ford", null, "blue", null));
        assertThat(r.plateBox()).isEqualTo(new NasRead.PlateBox(1, 2, 30, 10));
        assertThat(r.ptz()).isEqualTo(new NasRead.Ptz("3", 1.5, null, null));
        assertThat(r.ingest()).isEqualTo(new NasRead.Ingest("hik-feed", "hikvision-isapi", "http", "10.0.0.1"));
        assertThat(r.flags()).containsExactly("retransmission");
        assertThat(CanonicalSchema.errors(r)).isEmpty();
    }

    @Test
    void numbersSentAsTextAreParsedAndPlaceholdersAreAbsent() {
        NasRead r = read(base(n -> n.put("lane", "-").put("headingDeg", "").put("confidence", " - ")));
        assertThat(r.lane()).isNull();
        assertThat(r.headingDeg()).isNull();
        assertThat(r.confidencePct()).isNull();
        assertRejected(base(n -> n.put("lane", "left")), "malformed-field");
        assertRejected(base(n -> n.put("headingDeg", "east")), "malformed-field");
    }

    // ---------------------------------------------------------------- privacy

    static Stream<Arguments> rejections() {
        String plate = "ZZ99 ZZZ";
        return Stream.of(
                Arguments.of("unknown-camera", (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("device")).put("serial", "NOPE")),
                Arguments.of("missing-capture-time", (Consumer<ObjectNode>) n -> n.remove("time")),
                Arguments.of("invalid-capture-time", (Consumer<ObjectNode>) n -> n.put("time", "15 July " + plate)),
                Arguments.of("invalid-capture-time", (Consumer<ObjectNode>) n -> n.put("time", plate).put("timeFormat", "epoch-ms")),
                Arguments.of("implausible-epoch", (Consumer<ObjectNode>) n -> n.put("time", 1721044800123456L).put("timeFormat", "epoch-ms")),
                Arguments.of("future-capture-time", (Consumer<ObjectNode>) n -> n.put("time", "2024-07-16T12:00:00Z")),
                Arguments.of("expired-capture-time", (Consumer<ObjectNode>) n -> n.put("time", "2024-06-01T12:00:00Z")),
                Arguments.of("time-zone-unknown", (Consumer<ObjectNode>) n -> {
                    ((ObjectNode) n.get("device")).put("serial", "SERIAL2");
                    n.put("time", "2024-07-15T12:00:00");
                }),
                Arguments.of("mapping-failed", (Consumer<ObjectNode>) n -> n.put("timeSource", "CAMERA")),
                Arguments.of("mapping-failed", (Consumer<ObjectNode>) n -> n.put("timeFormat", "yyyy {")),
                Arguments.of("malformed-field", (Consumer<ObjectNode>) n -> n.put("confidence", 101)),
                Arguments.of("malformed-field", (Consumer<ObjectNode>) n -> n.put("confidence", plate)),
                Arguments.of("malformed-field", (Consumer<ObjectNode>) n -> n.put("latitude", 91)),
                Arguments.of("malformed-field", (Consumer<ObjectNode>) n -> n.put("lane", plate)),
                Arguments.of("invalid-image", (Consumer<ObjectNode>) n -> n.putObject("plateImage").put("base64", plate + "!")),
                Arguments.of("invalid-vrm", (Consumer<ObjectNode>) n -> n.put("vrm", plate + " " + plate + " " + plate)),
                Arguments.of("no-plate", (Consumer<ObjectNode>) n -> n.put("vrm", "NO PLATE")),
                Arguments.of("partial-vrm", (Consumer<ObjectNode>) n -> n.put("vrm", "ZZ99 ZZ?")),
                Arguments.of("partial-vrm", (Consumer<ObjectNode>) n -> n.put("vrm", "ZZ99 ZZ?").put("vrmGuess", "ZZ99 Z??")),
                Arguments.of("missing-vrm", (Consumer<ObjectNode>) n -> n.put("vrm", " ")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void noRejectionDetailCarriesThePlate(String reason, Consumer<ObjectNode> change) {
        ObjectNode in = base(n -> n.put("vrm", "ZZ99 ZZZ"));
        change.accept(in);

        RejectedException e = rejected(in);

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.detail()).doesNotContainIgnoringCase(PLATE).doesNotContainIgnoringCase("ZZ99 ZZZ")
                .doesNotContainIgnoringCase("ZZ99");
        assertThat(String.valueOf(e.getCause())).doesNotContainIgnoringCase("ZZ99");
    }
}
