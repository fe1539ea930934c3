package uk.anprhub.transport.tcp;

import org.junit.jupiter.api.Test;
import uk.anprhub.support.TestReads;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 7 over TCP: a poison frame ({@code confidencePct: 1e999}) used to close the connection without an
 * answer, so the camera re-sent it for ever. Now it is quarantined and nacked, and the connection goes on.
 */
class TcpIngestSecurityIT extends TcpHubIT {

    @Test
    void aPoisonFrameIsNackedAndTheConnectionStaysOpen() throws Exception {
        String poison = TestReads.read(TestReads.plate(), Instant.now().minusSeconds(60), 1)
                .replaceAll("\"confidencePct\":\\d+", "\"confidencePct\":1e999");
        assertThat(poison).contains("1e999");
        String plate = TestReads.plate();
        long quarantinedBefore = jdbc.queryForObject(
                "select count(*) from quarantine where feed = 'nas-json' and reason = 'malformed-field'", Long.class);

        try (Camera camera = new Camera("nas-json")) {
            camera.send(utf8(poison + "\n"));
            assertThat(camera.readLine(Duration.ofSeconds(10))).isEqualTo("NAK malformed-field\r");

            camera.send(utf8(TestReads.read(plate, Instant.now().minusSeconds(60), 1) + "\n"));
            assertThat(camera.readLine(Duration.ofSeconds(10))).isEqualTo("ACK 1 0\r");
        }
        assertThat(countReads(plate)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from quarantine where feed = 'nas-json' and reason = 'malformed-field'",
                Long.class)).isEqualTo(quarantinedBefore + 1);
    }
}
