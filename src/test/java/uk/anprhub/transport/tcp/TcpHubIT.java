package uk.anprhub.transport.tcp;

import uk.anprhub.support.FreePorts;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import uk.anprhub.support.HubIT;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hub with TCP feeds on free ports: the shipped routes/tcp-*.camel.yaml (nas-json, axis-lpv-json) and test
 * route files under src/test/resources/tcp-routes and tcp-new-feed, configured here (one Spring context shared by
 * every TCP test). Real sockets, real PostgreSQL. Inline properties are read with .properties escapes: "\\\\x06"
 * here reaches the hub as the template {@code \x06} (the ACK byte); in YAML write {@code ack: "\\x06"} or '\x06'.
 */
@TestPropertySource(properties = {
        "camel.main.routes-include-pattern=file:routes/*.camel.yaml,classpath:tcp-routes/*.camel.yaml,classpath:tcp-new-feed/*.camel.yaml",
        "spring.config.additional-location=classpath:tcp-new-feed/nas-stx.yaml",
        // a store that has not committed within 3 s answers 503: the retry test holds a lock longer than that
        "anpr.store.commit-timeout=3s",
        "anpr.tcp.feeds.nas-json.framing=line",
        "anpr.tcp.feeds.nas-json.ack=ACK {stored} {duplicates}\\r\\n",
        "anpr.tcp.feeds.nas-json.nack=NAK {reason}\\r\\n",
        "anpr.tcp.feeds.axis-lpv-json.framing=json",
        "anpr.tcp.feeds.axis-lpv-json.ack=\\\\x06",
        "anpr.feeds.nas-len.connector=nas-json",
        "anpr.tcp.feeds.nas-len.framing=length-prefixed",
        "anpr.feeds.nas-magic.connector=nas-json",
        "anpr.tcp.feeds.nas-magic.framing=length-prefixed",
        "anpr.tcp.feeds.nas-magic.length-offset=2",
        "anpr.tcp.feeds.nas-magic.length-bytes=4",
        "anpr.tcp.feeds.nas-magic.length-order=little-endian",
        "anpr.tcp.feeds.nas-magic.length-adjustment=-6",
        "anpr.tcp.feeds.nas-magic.ack=OK\\n",
        "anpr.feeds.bof2-xml.connector=bof2-soap",
        "anpr.tcp.feeds.bof2-xml.framing=xml",
        "anpr.tcp.feeds.bof2-xml.ack={status}\\n",
        "anpr.feeds.nas-stream.connector=nas-json",
        "anpr.tcp.feeds.nas-stream.framing=json",
        "anpr.tcp.feeds.nas-stream.ack=\\\\x06",
        "anpr.feeds.nas-guard.connector=nas-json",
        "anpr.tcp.feeds.nas-guard.framing=line",
        "anpr.tcp.feeds.nas-guard.allowlist=127.0.0.1",
        "anpr.tcp.feeds.nas-guard.max-frame=2KB",
        "anpr.tcp.feeds.nas-guard.idle-timeout=1500ms",
        "anpr.tcp.feeds.nas-guard.max-connections=2",
        "anpr.tcp.feeds.nas-guard.ack=\\\\x06",
        "anpr.feeds.vms-frame.connector=vms-frame-tcp",
        "anpr.tcp.feeds.vms-frame.framing=stx-etx",
        "anpr.tcp.feeds.vms-frame.frame-timeout=1500ms",
        "anpr.tcp.feeds.vms-frame.ack=\\\\x06",
        // client mode (TcpClientModeIT): the hub connects to a VMS on VMS_PORT, nothing listens there at start
        "anpr.feeds.vms-client.connector=nas-json",
        "anpr.feeds.vms-client.http=false",
        "anpr.tcp.feeds.vms-client.framing=line",
        "anpr.tcp.feeds.vms-client.ack=ACK {stored} {duplicates}\\n",
        "anpr.tcp.feeds.vms-client.reconnect-delay=100ms",
        "anpr.tcp.feeds.vms-client.reconnect-delay-max=500ms"})
abstract class TcpHubIT extends HubIT {

    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    /** The port of the VMS that the client-mode feed vms-client connects to. */
    static final int VMS_PORT = FreePorts.next();
    // This context's embedded PostgreSQL is in a data directory of its own (HubIT's ContextDataDir): no second
    // database needed beside HubIT's cached context.
    static {
        try { // the vms-frame feed's cameras: this VMS is the test's own address, its cameras numbers 01 and 07
            java.nio.file.Files.writeString(CAMERAS.resolve("tcp-it-vms-frame.yaml"), """
                    cameras:
                      - {cameraId: IT-VMS-0001, sourceId: IT, feedId: IT, vendor: vms-frame, timeZone: Europe/London,
                         device: {ip: 127.0.0.1, channel: 1}}
                      - {cameraId: IT-VMS-0007, sourceId: IT, feedId: IT, vendor: vms-frame, timeZone: Europe/London,
                         device: {ip: 127.0.0.1, channel: 7}}
                    """);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        for (String feed : new String[]{"nas-json", "axis-lpv-json", "nas-len", "nas-magic", "bof2-xml", "nas-stream",
                "nas-guard", "nas-stx", "vms-frame"}) {
            PORTS.put(feed, FreePorts.next());
        }
    }

    @DynamicPropertySource
    static void tcpPorts(DynamicPropertyRegistry registry) {
        PORTS.forEach((feed, port) -> registry.add("anpr.tcp.feeds." + feed + ".port", () -> port));
        registry.add("anpr.tcp.feeds.vms-client.connect", () -> "127.0.0.1:" + VMS_PORT);
    }


    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    int countReads(String vrm) {
        return jdbc.queryForObject("select count(*) from nas_read where vrm = ?", Integer.class, vrm.replace(" ", ""));
    }

    /** Waits up to {@code timeout} for {@code n} rows of {@code vrm}. */
    boolean awaitReads(String vrm, int n, Duration timeout) throws InterruptedException {
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(() -> countReads(vrm) >= n);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return countReads(vrm) >= n;
        }
    }

    /** A camera: a plain blocking socket, writing in pieces with flushes and small pauses between them. */
    static final class Camera implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Camera(String feed) throws IOException {
            this(feed, null);
        }

        Camera(String feed, InetAddress localAddress) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORTS.get(feed)), 5000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** Writes {@code bytes} cut at {@code cuts}, flushing and pausing 30 ms after each piece. */
        Camera send(byte[] bytes, int... cuts) throws IOException, InterruptedException {
            int from = 0;
            for (int cut : cuts) {
                out.write(bytes, from, cut - from);
                out.flush();
                Thread.sleep(30); // the subject: a frame arriving in pieces, not a wait for a condition
                from = cut;
            }
            out.write(bytes, from, bytes.length - from);
            out.flush();
            return this;
        }

        /** Exactly {@code n} bytes, or fails after {@code timeout}. */
        byte[] read(int n, Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] buf = in.readNBytes(n);
            if (buf.length < n) {
                throw new IOException("connection closed after " + buf.length + " of " + n + " bytes: "
                        + Arrays.toString(buf));
            }
            return buf;
        }

        String readLine(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed after '" + b + "'");
                }
                b.append((char) c);
            }
            return b.toString();
        }

        /** True when nothing arrives within {@code wait} (the connection stays open and silent). */
        boolean silentFor(Duration wait) throws IOException {
            socket.setSoTimeout((int) wait.toMillis());
            try {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                return false;
            } catch (SocketTimeoutException e) {
                return true;
            }
        }

        /** True when the hub closes the connection within {@code wait} (after any bytes still in flight). */
        boolean closedWithin(Duration wait) throws IOException {
            socket.setSoTimeout((int) wait.toMillis());
            try {
                while (true) {
                    if (in.read() < 0) {
                        return true;
                    }
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException e) { // reset: closed too
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
