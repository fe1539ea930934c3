package uk.anprhub.transport.tcp;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.support.TestReads;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acknowledgement only after commit, and back-pressure at the socket: the reads table is locked against inserts
 * (EXCLUSIVE: reads of it still work) to make the store as slow as the test needs.
 */
class TcpAckIT extends TcpHubIT {

    private static final Duration T = Duration.ofSeconds(10);

    @Autowired
    DataSource dataSource;

    /** Blocks every insert into nas_read (the group commit waits) until closed; SELECTs still run. */
    private AutoCloseable holdStore() throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        c.createStatement().execute("lock table nas_read in exclusive mode");
        return () -> {
            c.commit();
            c.close();
        };
    }

    private static String line(String plate) {
        return TestReads.read(plate, Instant.now().minusSeconds(20), 3) + "\n";
    }

    @Test
    void theAckArrivesOnlyOnceTheRowIsCommitted() throws Exception {
        try (Camera cam = new Camera("nas-json")) {
            for (int i = 0; i < 20; i++) {
                String plate = TestReads.plate();
                cam.send(utf8(line(plate)));
                assertThat(cam.readLine(T)).isEqualTo("ACK 1 0\r");
                assertThat(countReads(plate)).as("visible when acknowledged").isEqualTo(1);
            }
            String plate = TestReads.plate();
            AutoCloseable store = holdStore();
            try {
                cam.send(utf8(line(plate)));
                assertThat(cam.silentFor(Duration.ofMillis(1500))).as("no ack while the commit waits").isTrue();
                assertThat(countReads(plate)).isZero();
            } finally {
                store.close();
            }
            assertThat(cam.readLine(T)).isEqualTo("ACK 1 0\r");
            assertThat(countReads(plate)).isEqualTo(1);
        }
    }

    @Test
    void aFrameTheStoreDoesNotCommitInTimeIsRetriedAndAcknowledgedOnceStored() throws Exception {
        String plate = TestReads.plate();
        try (Camera cam = new Camera("nas-json")) {
            AutoCloseable store = holdStore();
            try {
                cam.send(utf8(line(plate)));
                // the commit timeout (3 s here) passes: 503 inside the hub, nothing acknowledged, the frame retried
                assertThat(cam.silentFor(Duration.ofMillis(4500))).isTrue();
                assertThat(countReads(plate)).isZero();
            } finally {
                store.close();
            }
            assertThat(cam.readLine(T)).matches("ACK [01] [01]\r"); // stored by the late first attempt or the retry
            assertThat(cam.silentFor(Duration.ofMillis(700))).as("exactly one ack").isTrue();
            assertThat(countReads(plate)).isEqualTo(1);
        }
    }

    @Test
    void whileTheStoreIsBehindTheHubStopsReadingTheSocket() throws Exception {
        int frames = 200;
        List<String> plates = new ArrayList<>();
        StringBuilder stream = new StringBuilder();
        String padding = " ".repeat(16 * 1024); // JSON whitespace: 16 KB frames fill socket buffers quickly
        for (int i = 0; i < frames; i++) {
            String plate = TestReads.plate();
            plates.add(plate);
            stream.append('{').append(padding).append(line(plate).substring(1));
        }
        ByteBuffer bytes = ByteBuffer.wrap(utf8(stream.toString()));
        String received = "anpr_reads_received_total{feed=\"nas-json\"}";
        try (SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024);
            ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORTS.get("nas-json")));
            ch.configureBlocking(false);
            double before = metric(received);
            long written;
            double during;
            AutoCloseable store = holdStore();
            try {
                long lastProgress = System.nanoTime();
                while (bytes.hasRemaining() && System.nanoTime() - lastProgress < 700_000_000L) {
                    if (ch.write(bytes) > 0) {
                        lastProgress = System.nanoTime();
                    } else {
                        Thread.sleep(5); // the sender's own retry of a non-blocking write
                    }
                }
                written = bytes.position();
                assertThat(bytes.hasRemaining()).as("the sender is blocked: the hub stopped reading").isTrue();
                Thread.sleep(300); // a while later the sender must still be blocked
                assertThat(ch.write(bytes)).as("still blocked").isZero();
                // one frame entered the ingest core and waits for its commit; the rest waits in the kernel buffers
                // and the sender's own: the hub did not read them into memory
                during = metric(received) - before;
                assertThat(during).isLessThanOrEqualTo(1);
                assertThat(written).as("bytes the sender got rid of").isGreaterThan(64 * 1024);
            } finally {
                store.close();
            }
            ch.configureBlocking(true);
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.socket().setSoTimeout(60_000);
            var in = ch.socket().getInputStream();
            int lines = 0;
            StringBuilder ack = new StringBuilder();
            while (lines < frames) {
                int c = in.read();
                assertThat(c).as("ack " + lines).isNotNegative();
                if (c == '\n') {
                    assertThat(ack.toString()).matches("ACK [01] [01]\r");
                    ack.setLength(0);
                    lines++;
                } else {
                    ack.append((char) c);
                }
            }
            System.out.printf("back-pressure: sender blocked after %d of %d bytes; hub had taken %.0f frame(s) meanwhile%n",
                    written, bytes.capacity(), during);
        }
        for (String plate : plates) {
            assertThat(countReads(plate)).isEqualTo(1);
        }
    }
}
