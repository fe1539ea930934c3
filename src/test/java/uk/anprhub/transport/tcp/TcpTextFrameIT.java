package uk.anprhub.transport.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import uk.anprhub.support.TestReads;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The vms-frame-tcp connector (decoder text) on a TCP feed over real sockets: fixed-layout ASCII frames
 * {@code STX YYYYMMDDHHMMSS CC PLATE ETX} from a VMS (the test, 127.0.0.1) are stored under the camera its number
 * names (registry: TcpHubIT's tcp-it-vms-frame.yaml), an unregistered number is quarantined {@code unknown-camera},
 * and a frame whose ETX never comes — connection closed, or the feed's frame-timeout (1.5 s here) — is quarantined
 * {@code incomplete-frame} with the bytes received.
 */
@ExtendWith(OutputCaptureExtension.class)
class TcpTextFrameIT extends TcpHubIT {

    private static final Duration T = Duration.ofSeconds(30);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneId.of("Europe/London"));

    private static String frame(Instant at, String camera, String plate) {
        return "\u0002" + LOCAL.format(at) + " " + camera + " " + plate + "\u0003";
    }

    private String cameraOf(String vrm) {
        return jdbc.queryForObject("select camera_id from nas_read where vrm = ?", String.class, vrm);
    }

    private Map<String, Object> lastQuarantine(String reason) {
        return jdbc.queryForMap("select reason, transport, remote_addr, detail, payload from quarantine "
                + "where feed = 'vms-frame' and reason = ? order by id desc limit 1", reason);
    }

    private int quarantined(String reason) {
        return jdbc.queryForObject("select count(*) from quarantine where feed = 'vms-frame' and reason = ?",
                Integer.class, reason);
    }

    @Test
    void framesAreStoredUnderTheCameraTheirNumberNamesAndAnUnknownNumberIsQuarantined() throws Exception {
        String one = TestReads.plate().replace(" ", "");
        String seven = TestReads.plate().replace(" ", "");
        String three = TestReads.plate().replace(" ", "");
        Instant now = Instant.now().minusSeconds(5);
        int unknownBefore = quarantined("unknown-camera");
        int noPlateBefore = quarantined("no-plate");
        byte[] stream = utf8("\r\n" + frame(now, "01", one) + frame(now, "07", seven) + frame(now, "03", three)
                + frame(now, "07", "Not defined"));
        try (Camera vms = new Camera("vms-frame")) {
            vms.send(stream, 1, 5, stream.length / 2, stream.length - 3);
            assertThat(vms.read(4, T)).as("each frame acknowledged once settled").containsExactly(6, 6, 6, 6);
        }
        assertThat(cameraOf(one)).isEqualTo("IT-VMS-0001");
        assertThat(cameraOf(seven)).isEqualTo("IT-VMS-0007");
        assertThat(countReads(three)).as("camera 03 is registered nowhere: never filed under 01 or 07").isZero();
        assertThat(quarantined("unknown-camera")).isEqualTo(unknownBefore + 1);
        assertThat(quarantined("no-plate")).isEqualTo(noPlateBefore + 1);
        assertThat(new String((byte[]) lastQuarantine("unknown-camera").get("payload"))).contains(" 03 ");
    }

    @Test
    void aFrameCutByTheConnectionClosingIsQuarantinedIncompleteWithItsBytes(CapturedOutput output) throws Exception {
        String plate = TestReads.plate().replace(" ", "");
        String stored = TestReads.plate().replace(" ", "");
        Instant now = Instant.now().minusSeconds(5);
        String partial = LOCAL.format(now) + " 01 " + plate;
        int before = quarantined("incomplete-frame");
        try (Camera vms = new Camera("vms-frame")) {
            vms.send(utf8(frame(now, "01", stored) + "\u0002" + partial), 10);
            assertThat(vms.read(1, T)).containsExactly(6);
        } // closed: the ETX never comes
        await().atMost(T).until(() -> quarantined("incomplete-frame") == before + 1);
        Map<String, Object> q = lastQuarantine("incomplete-frame");
        assertThat(q).containsEntry("transport", "tcp").containsEntry("remote_addr", "127.0.0.1");
        assertThat(new String((byte[]) q.get("payload"))).isEqualTo(partial);
        assertThat((String) q.get("detail")).contains("closed").doesNotContain(plate);
        assertThat(cameraOf(stored)).isEqualTo("IT-VMS-0001");
        assertThat(countReads(plate)).isZero();
        assertThat(output.getAll()).contains("incomplete-frame from 127.0.0.1").doesNotContain(plate);
    }

    @Test
    void aFrameWithoutItsEndForTheFrameTimeoutIsQuarantinedAndTheConnectionClosed() throws Exception {
        String plate = TestReads.plate().replace(" ", "");
        String partial = LOCAL.format(Instant.now().minusSeconds(5)) + " 07 " + plate;
        int before = quarantined("incomplete-frame");
        try (Camera vms = new Camera("vms-frame")) {
            vms.send(utf8("\u0002" + partial)); // and then silence, connection open
            assertThat(vms.closedWithin(T)).as("closed by the hub after the frame-timeout").isTrue();
        }
        await().atMost(T).until(() -> quarantined("incomplete-frame") == before + 1);
        Map<String, Object> q = lastQuarantine("incomplete-frame");
        assertThat(new String((byte[]) q.get("payload"))).isEqualTo(partial);
        assertThat((String) q.get("detail")).contains("frame-timeout").doesNotContain(plate);
        assertThat(countReads(plate)).isZero();
    }
}
