package uk.anprhub.transport.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Oversize frames, the allowlist, idle connections and senders that hang up without waiting for acks. */
@ExtendWith(OutputCaptureExtension.class)
class TcpGuardIT extends TcpHubIT {

    private static final Duration T = Duration.ofSeconds(10);

    private static String read(String plate) {
        return TestReads.read(plate, Instant.now().minusSeconds(30), 4);
    }

    @Test
    void anOversizeFrameClosesTheConnectionWithALogLineAndAQuarantineRow(CapturedOutput output) throws Exception {
        String plate = TestReads.plate();
        String oversize = read(plate).replace("{", "{\"padding\":\"" + "x".repeat(10_000) + "\",") + "\n"; // 2 KB max
        try (Camera cam = new Camera("nas-guard")) {
            cam.send(utf8(read(TestReads.plate()) + "\n"));
            assertThat(cam.read(1, T)).containsExactly(6);
            cam.send(utf8(oversize), 1000, 5000);
            assertThat(cam.closedWithin(T)).isTrue();
        }
        Map<String, Object> q = jdbc.queryForMap("select reason, transport, remote_addr, detail, payload from quarantine "
                + "where feed = 'nas-guard' and reason = 'too-large' order by id desc limit 1");
        assertThat(q).containsEntry("transport", "tcp").containsEntry("remote_addr", "127.0.0.1");
        byte[] payload = (byte[]) q.get("payload");
        assertThat(payload.length).isBetween(2048, FrameDecoder.SAMPLE_BYTES);
        assertThat(payload).isEqualTo(Arrays.copyOf(utf8(oversize), payload.length));
        assertThat(countReads(plate)).isZero();
        assertThat(output.getAll()).contains("TCP feed nas-guard: too-large from 127.0.0.1: frame exceeds the limit of 2048 bytes")
                .doesNotContain(plate.replace(" ", "")).doesNotContain(plate);
    }

    @Test
    void theAllowlistRefusesOtherAddresses(CapturedOutput output) throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        Camera stranger;
        try {
            stranger = new Camera("nas-guard", other);
        } catch (IOException e) {
            assumeTrue(false, "no loopback alias 127.0.0.2 here: " + e);
            return;
        }
        try (stranger) {
            assertThat(stranger.closedWithin(T)).as("refused at once").isTrue();
        }
        assertThat(output.getAll()).contains("TCP feed nas-guard: connection from 127.0.0.2 refused: not in the allowlist");
        try (Camera allowed = new Camera("nas-guard", InetAddress.getByName("127.0.0.1"))) {
            String plate = TestReads.plate();
            allowed.send(utf8(read(plate) + "\n"));
            assertThat(allowed.read(1, T)).containsExactly(6);
            assertThat(countReads(plate)).isEqualTo(1);
        }
    }

    @Test
    void connectionsBeyondTheFeedsLimitAreRefused(CapturedOutput output) throws Exception {
        Thread.sleep(200); // connections of earlier tests are closing
        try (Camera one = new Camera("nas-guard"); Camera two = new Camera("nas-guard")) {
            one.send(utf8(read(TestReads.plate()) + "\n"));
            two.send(utf8(read(TestReads.plate()) + "\n"));
            assertThat(one.read(1, T)).containsExactly(6);
            assertThat(two.read(1, T)).containsExactly(6);
            try (Camera three = new Camera("nas-guard")) {
                assertThat(three.closedWithin(T)).isTrue();
            }
        }
        assertThat(output.getAll()).contains("TCP feed nas-guard: connection from 127.0.0.1 refused: 2 connections open");
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (Camera cam = new Camera("nas-guard")) {
            long t0 = System.nanoTime();
            assertThat(cam.closedWithin(T)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1200));
        }
    }

    @Test
    void readsOfASenderThatHangsUpWithoutWaitingAreStillStored() throws Exception {
        List<String> plates = new ArrayList<>();
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            String plate = TestReads.plate();
            plates.add(plate);
            byte[] body = utf8(read(plate));
            stream.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
            stream.writeBytes(body);
        }
        try (Camera cam = new Camera("nas-len")) {
            cam.send(stream.toByteArray());
        } // closed at once: frames 2..10 are still queued in the hub
        for (String plate : plates) {
            assertThat(awaitReads(plate, 1, T)).as(plate).isTrue();
        }
    }
}
