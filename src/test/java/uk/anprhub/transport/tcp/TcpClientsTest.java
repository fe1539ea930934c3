package uk.anprhub.transport.tcp;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Client mode's settings: the reconnection pause and the VMS address (issue 14.5). */
class TcpClientsTest {

    @Test
    void thePauseDoublesPerFailureUpToTheMaximum() {
        Duration initial = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(60);
        assertThat(TcpClients.pause(initial, max, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(TcpClients.pause(initial, max, 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(TcpClients.pause(initial, max, 4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(TcpClients.pause(initial, max, 7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(TcpClients.pause(initial, max, 10_000)).isEqualTo(Duration.ofSeconds(60));
        assertThat(TcpClients.pause(Duration.ofSeconds(5), Duration.ofSeconds(1), 3)).as("max below initial")
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theAddressIsHostColonPortNamingTheKeyWhenItIsNot() {
        assertThat(TcpClients.address("vms", "vms.example:7001").getHostString()).isEqualTo("vms.example");
        assertThat(TcpClients.address("vms", "[::1]:7001").getHostString()).isEqualTo("::1");
        assertThat(TcpClients.address("vms", " 10.0.0.5:80 ").getPort()).isEqualTo(80);
        for (String bad : new String[]{"vms.example", ":7001", "vms:0", "vms:70000", "vms:x"}) {
            assertThatThrownBy(() -> TcpClients.address("vms", bad)).hasMessageContaining("anpr.tcp.feeds.vms.connect");
        }
    }
}
