package uk.anprhub.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import uk.anprhub.bench.BenchHome;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.connector.decode.JsonDecoder;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.model.VendorRead;
import uk.anprhub.normalise.Normaliser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Decode + mapping + normalisation of one canonical read (nas-json) that carries an inline base64 overview picture of
 * {@code pictureKb} KB: the per-body work of the flood in docs/reliability.md, where the picture's text dominated the
 * allocation. Run with {@code -prof gc} for the bytes allocated per read ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PictureReadBenchmark {

    @Param({"100", "1024"})
    public int pictureKb;

    /**
     * true: the connector as shipped (option {@code base64-fields}: the picture is a span of the payload, decoded once);
     * false: the same connector without the option, so the parser builds the picture's text (the path before it).
     */
    @Param({"true", "false"})
    public boolean spans;

    private Connector c;
    private Normaliser normaliser;
    private RawMessage message;

    @Setup
    public void setUp() throws IOException {
        BenchHome.quietLogging();
        Path home = BenchHome.get();
        ConnectorCatalog catalog = ConnectorCatalog.load(home.resolve("connectors"), home.resolve("mappings"));
        c = catalog.find("nas-json").orElseThrow();
        if (!spans) {
            c = new Connector(c.id(), c.vendor(), c.title(), c.description(), c.decoderName(), Map.of(), c.contentTypes(),
                    c.mappingPath(), new JsonDecoder(), c.mapping(), c.identity(), c.pictures());
        }
        CameraRegistry cameras = new CameraRegistry(home.resolve("src/test/resources/cameras"));
        cameras.reload();
        normaliser = new Normaliser(cameras, ValidationPolicy.offline(null));
        byte[] picture = new byte[pictureKb * 1024];
        new Random(17).nextBytes(picture);
        picture[0] = (byte) 0xFF; // a JPEG's start, the only part the hub checks
        picture[1] = (byte) 0xD8;
        picture[2] = (byte) 0xFF;
        Instant now = Instant.now();
        String body = "{\"vrm\":\"AB12CDE\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"MPS-DEMO-0001\","
                + "\"confidencePct\":93,\"overviewImage\":{\"contentType\":\"image/jpeg\",\"data\":\""
                + Base64.getEncoder().encodeToString(picture) + "\"}}";
        message = new RawMessage(body.getBytes(StandardCharsets.UTF_8), "nas-json", "nas-json", "http",
                "application/json", Map.of(), "127.0.0.1", null, null, now);
        // fail here, not with a quiet zero: the read must pass with its picture
        Connector.Extracted e = c.extract(message);
        Normaliser.Normalised n = normaliser.normalise(e.reads().get(0), c.vendor(), message, e.decoded().attachments(), false);
        if (n.overviewImage() == null || !java.util.Arrays.equals(n.overviewImage(), picture)
                || (e.reads().get(0).overviewImage().base64().text() == null) != spans) {
            throw new IllegalStateException("the picture did not come through");
        }
    }

    @Benchmark
    public void decodeMapNormalise(Blackhole bh) {
        bh.consume(once());
    }

    /** One read's decode + mapping + normalisation; its pictures' total size (kept so the work is not dropped). */
    long once() {
        Connector.Extracted extracted = c.extract(message);
        List<VendorRead> reads = extracted.reads();
        long bytes = 0;
        for (int r = 0; r < reads.size(); r++) {
            Normaliser.Normalised n = normaliser.normalise(reads.get(r), c.vendor(), message, extracted.decoded().attachments(), false);
            bytes += n.overviewImage() == null ? 0 : n.overviewImage().length;
        }
        return bytes;
    }
}
