package uk.anprhub.connector.decode;

import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.normalise.OfflineRun;
import uk.anprhub.message.RawMessage;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.model.ValidationPolicy;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Real-sized pictures (docs/performance-connectors.md section 5): hikvision-isapi sample 001 with both JPEG parts
 * grown to N KB (their JPEG header, then random bytes, then EOI), extract + normalise in a loop, reads per CPU second.
 * A plain main (not run by Surefire); run it pinned to one core from the project root:
 * {@code taskset -c 1 java -Xms1g -Xmx1g -cp target/test-classes:target/classes:$(cat target/bench.classpath)
 * uk.anprhub.connector.decode.BigPictureThroughput [kb=100] [cpu-seconds=5] [rounds=5]}.
 */
public final class BigPictureThroughput {

    public static void main(String[] args) throws Exception {
        int kb = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Connector connector = ConnectorCatalog.load(Path.of("connectors"), Path.of("mappings")).find("hikvision-isapi")
                .orElseThrow();
        RawMessage m = OfflineRun.message(connector,
                Path.of("connectors/hikvision-isapi/samples/001-parkpow-anpr-event.multipart"));
        RawMessage big = new RawMessage(grow(m.payload(), kb * 1024), m.feed(), m.connector(), m.transport(),
                m.contentType(), m.headers(), m.remoteAddr(), m.filename(), m.folder(), m.receivedAt());
        CameraRegistry cameras = new CameraRegistry(Path.of("src", "test", "resources", "cameras"));
        cameras.reload();
        Normaliser normaliser = new Normaliser(cameras, ValidationPolicy.offline(null));
        System.out.printf("payload %,d bytes, %d rounds of %.1f CPU-s after a %.1f CPU-s warm-up%n",
                big.payload().length, rounds, seconds, 2 * seconds);
        run(connector, normaliser, big, 2 * seconds); // warm-up
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            rates[r] = run(connector, normaliser, big, seconds);
            System.out.printf("round %d: %,.0f reads/s per core%n", r + 1, rates[r]);
        }
        Arrays.sort(rates);
        System.out.printf("median %,.0f reads/s per core (%.1f µs per read), min %,.0f, max %,.0f%n",
                rates[rounds / 2], 1e6 / rates[rounds / 2], rates[0], rates[rounds - 1]);
    }

    /** Reads per CPU second over {@code seconds} of this JVM's CPU time. */
    private static double run(Connector connector, Normaliser normaliser, RawMessage message, double seconds) {
        long cpu0 = cpuNanos();
        long reads = 0;
        int sink = 0;
        while (true) {
            for (int i = 0; i < 50; i++) {
                Connector.Extracted e = connector.extract(message);
                for (var read : e.reads()) {
                    sink += normaliser.normalise(read, connector.vendor(), message, e.decoded().attachments(), false)
                            .hashCode();
                    reads++;
                }
            }
            long spent = cpuNanos() - cpu0;
            if (spent >= seconds * 1e9) {
                if (sink == 42) {
                    System.out.print(""); // keep sink alive
                }
                return reads / (spent / 1e9);
            }
        }
    }

    /** The body with every image/jpeg part's content replaced by its first 20 bytes, random bytes and FF D9. */
    static byte[] grow(byte[] body, int size) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random random = new Random(42);
        int p = 0;
        for (int h; (h = text.indexOf("Content-Type: image/jpeg", p)) >= 0; ) {
            int start = text.indexOf("\r\n\r\n", h) + 4;
            int end = text.indexOf("\r\n--boundary", start);
            out.write(body, p, start + 20 - p);
            byte[] filler = new byte[size - 22];
            random.nextBytes(filler);
            out.writeBytes(filler);
            out.write(0xFF);
            out.write(0xD9);
            p = end;
        }
        out.write(body, p, body.length - p);
        return out.toByteArray();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
