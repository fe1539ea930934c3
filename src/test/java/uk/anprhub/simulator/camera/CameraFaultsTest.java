package uk.anprhub.simulator.camera;

import uk.anprhub.simulator.camera.CameraSimCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** camera-sim's --silent-camera and --drift-camera on the canonical reads. */
class CameraFaultsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void parsesTheOptionsAndRefusesWhatItCannotRead() {
        CameraFaults f = CameraFaults.parse(List.of("MPS-DEMO-0002@60", "MPS-DEMO-0003"), List.of("MPS-DEMO-0001=+30s", "MPS-DEMO-0004=-2m"));
        assertThat(f.silentAfter()).containsEntry("MPS-DEMO-0002", Duration.ofSeconds(60)).containsEntry("MPS-DEMO-0003", Duration.ZERO);
        assertThat(f.offset("MPS-DEMO-0001")).isEqualTo(Duration.ofSeconds(30));
        assertThat(f.offset("MPS-DEMO-0004")).isEqualTo(Duration.ofMinutes(-2));
        assertThat(f.silent("MPS-DEMO-0002", Duration.ofSeconds(59))).isFalse();
        assertThat(f.silent("MPS-DEMO-0002", Duration.ofSeconds(60))).isTrue();
        assertThatThrownBy(() -> CameraFaults.parse(List.of("MPS-DEMO-0002@soon"), List.of())).hasMessageContaining("ID@seconds");
        assertThatThrownBy(() -> CameraFaults.parse(List.of(), List.of("MPS-DEMO-0001+30s"))).hasMessageContaining("ID=+30s");
        assertThatThrownBy(() -> new CanonicalReads("MPS-DEMO-", 2, 1, CameraFaults.parse(List.of("MPS-DEMO-0009"), List.of())))
                .hasMessageContaining("not one of the simulated cameras");
        assertThatThrownBy(() -> new CanonicalReads("MPS-DEMO-", 1, 1, CameraFaults.parse(List.of("MPS-DEMO-0001@5"), List.of())))
                .hasMessageContaining("keep one sending");
    }

    @Test
    void helpNamesBothOptions() {
        String help = new picocli.CommandLine(new CameraSimCommand()).getUsageMessage();
        assertThat(help).contains("--silent-camera=ID[@seconds]").contains("--drift-camera=ID=+30s");
    }

    @Test
    void aSilencedCameraSendsNothingAndADriftingOneSendsShiftedTimes() throws Exception {
        CanonicalReads reads = new CanonicalReads("MPS-DEMO-", 3, 1,
                CameraFaults.parse(List.of("MPS-DEMO-0002"), List.of("MPS-DEMO-0003=+30s")));
        SplittableRandom r = new SplittableRandom(7);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Instant before = Instant.now();
            JsonNode read = JSON.readTree(reads.next(r).body());
            String camera = read.get("cameraId").asText();
            seen.add(camera);
            Duration ahead = Duration.between(before, Instant.parse(read.get("captureTimeUtc").asText()));
            if (camera.equals("MPS-DEMO-0003")) {
                assertThat(ahead).isBetween(Duration.ofSeconds(27), Duration.ofSeconds(31));
            } else {
                assertThat(ahead).isLessThan(Duration.ofSeconds(1));
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("MPS-DEMO-0001", "MPS-DEMO-0003");
    }
}
