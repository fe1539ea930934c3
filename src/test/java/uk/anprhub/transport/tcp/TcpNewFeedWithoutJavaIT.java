package uk.anprhub.transport.tcp;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.support.TestReads;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A feed added with no Java: STX/ETX-framed canonical reads for the existing nas-json connector, declared only by
 * src/test/resources/tcp-new-feed/tcp-nas-stx.camel.yaml (the route) and tcp-new-feed/nas-stx.yaml (its config,
 * loaded like an ANPR_CONFIG file); the test only picks its port. Reads arrive, are acknowledged with ACK (0x06)
 * after their commit, and are stored under feed nas-stx.
 */
class TcpNewFeedWithoutJavaIT extends TcpHubIT {

    @Autowired
    CamelContext camel;

    @Test
    void aRouteFileWhoseFeedHasNoPortIsLeftOutAndTheHubStarts() {
        // tcp-routes/tcp-unconfigured.camel.yaml: the template anpr-tcp-feed's precondition, no anpr.tcp.feeds.unconfigured.port
        assertThat(camel.getRoute("tcp-unconfigured")).isNull();
        assertThat(camel.getRoute("tcp-nas-stx")).isNotNull();
        assertThat(camel.getRoute("tcp-nas-json")).isNotNull();
    }

    @Test
    void stxEtxFramesForAnExistingConnectorArriveAndAreAcknowledged() throws Exception {
        List<String> plates = new ArrayList<>();
        StringBuilder stream = new StringBuilder("\r\n"); // line noise before the first frame
        for (int i = 0; i < 5; i++) {
            String plate = TestReads.plate();
            plates.add(plate);
            stream.append('\u0002').append(TestReads.read(plate, java.time.Instant.now().minusSeconds(5 + i), 2)).append('\u0003');
            if (i == 2) {
                stream.append("\r\n"); // noise between frames is skipped
            }
        }
        byte[] bytes = utf8(stream.toString());
        try (Camera cam = new Camera("nas-stx")) {
            cam.send(bytes, 1, 3, bytes.length / 2, bytes.length / 2 + 130, bytes.length - 1);
            assertThat(cam.read(5, Duration.ofSeconds(10))).containsExactly(6, 6, 6, 6, 6);
        }
        for (String plate : plates) {
            assertThat(countReads(plate)).isEqualTo(1);
            assertThat(jdbc.queryForObject("select feed from nas_read where vrm = ?", String.class, plate.replace(" ", "")))
                    .isEqualTo("nas-stx");
        }
    }
}
