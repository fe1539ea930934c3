package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import uk.anprhub.message.RejectedException;
import uk.anprhub.model.NasRead.TimeSource;
import uk.anprhub.model.NasRead;
import uk.anprhub.model.ValidationPolicy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.anprhub.normalise.NormaliserFixtures.*;

/** Contract section 4.3: capture time formats, zones, sources and the policy's window ({@link CaptureTimes}). */
class CaptureTimesTest {

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
        assertThat(CaptureTimes.plainUtc(time)).isEqualTo(Instant.parse(time));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-13-45T12:00:00Z", "2023-02-29T12:00:00Z", "2024-07-15T13:00:00.Z",
            "2024-07-15T13:00:00+01:00", "2024-07-15t13:00:00z", "2024-07-15T13:00Z", "2024-07-15 13:00:00Z",
            "2024-07-15T13:0a:00Z", "2024-07-15T13:00:00.1234567890Z"})
    void theFastUtcPathLeavesEverythingElseToTheFormatter(String time) {
        assertThat(CaptureTimes.plainUtc(time)).isNull();
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
