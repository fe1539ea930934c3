package uk.anprhub.transport.tcp;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.support.TestReads;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14.5: client mode. Some VMSs are the TCP server: the feed {@code vms-client} connects to one
 * ({@code anpr.tcp.feeds.vms-client.connect}). Nothing listens there when the hub starts — the hub starts anyway and
 * keeps trying with back-off; once the VMS listens the hub connects, each read is acknowledged only after its row is
 * committed, and when the VMS drops the connection the hub connects again by itself.
 */
class TcpClientModeIT extends TcpHubIT {

    @Autowired
    TcpClients clients;

    @Test
    void connectsToTheVmsWhenItComesUpAcksAfterCommitAndReconnectsWhenDropped() throws Exception {
        assertThat(clients.connected("vms-client")).as("nothing listened at start: not connected").isZero();
        try (ServerSocket vms = new ServerSocket()) {
            vms.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), VMS_PORT));
            vms.setSoTimeout(30_000); // back-off capped at 500 ms here: the hub is back within a second or so

            String plate = TestReads.plate();
            try (Socket hub = vms.accept()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> clients.connected("vms-client") == 1);
                String read = TestReads.read(plate, java.time.Instant.now().minusSeconds(30), 1);
                String ack = exchange(hub, read);
                assertThat(countReads(plate)).as("committed before the ack").isEqualTo(1);
                assertThat(ack).isEqualTo("ACK 1 0");
                assertThat(exchange(hub, read)).as("the same read again: a duplicate").isEqualTo("ACK 0 1");
            } // the VMS drops the connection

            String second = TestReads.plate();
            try (Socket hub = vms.accept()) { // the hub reconnects by itself
                String ack = exchange(hub, TestReads.read(second, java.time.Instant.now().minusSeconds(20), 2));
                assertThat(ack).isEqualTo("ACK 1 0");
                assertThat(countReads(second)).isEqualTo(1);
            }
        }
    }

    /** Sends one line as the VMS and reads the hub's ack line. */
    private static String exchange(Socket hub, String line) throws Exception {
        hub.setSoTimeout(30_000);
        OutputStream out = hub.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.ISO_8859_1));
        return in.readLine();
    }
}
