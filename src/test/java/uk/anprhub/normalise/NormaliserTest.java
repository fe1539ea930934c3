package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import uk.anprhub.message.RejectedException;
import uk.anprhub.model.CanonicalSchema;
import uk.anprhub.model.NasRead.Direction;
import uk.anprhub.model.NasRead.TimeSource;
import uk.anprhub.model.NasRead;

import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.anprhub.normalise.NormaliserFixtures.*;

/** The orchestration of {@link Normaliser}: a whole read carried through, its idempotency key, and no plate in any refusal. */
class NormaliserTest {

    // ---------------------------------------------------------------- idempotency key (contract section 4.6)

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
