package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import uk.anprhub.message.RejectedException;
import uk.anprhub.model.CanonicalSchema;
import uk.anprhub.model.NasRead.TimeSource;
import uk.anprhub.model.NasRead;
import uk.anprhub.model.ValidationPolicy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.anprhub.normalise.NormaliserFixtures.*;

/** Contract section 4.1 through the normaliser: the registry's camera, unknown cameras refused or flagged ({@link CameraRule}). */
class CameraRuleTest {

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
