package uk.anprhub.bench.jmh;

import uk.anprhub.bench.BenchHome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.connector.decode.Decoded;
import uk.anprhub.message.RawMessage;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.model.VendorRead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shared normalisation and validation alone ({@link Normaliser#normalise}: camera lookup, VRM clean-up, UTC time
 * and the time checks, confidence, country, direction, location, idempotency key) of one canonical read, i.e.
 * {@link VendorRead} → {@code NasRead}, with the server's validation policy (5 min future skew, 7-day age limit)
 * and the demo camera registry. The VendorRead is made once in setup by the nas-json connector from a canonical
 * read of the kind {@code camera-sim} sends (capture time one minute ago), so decoding and mapping are not measured.
 * Ops = reads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NormaliserBenchmark {

    private Normaliser normaliser;
    private VendorRead read;
    private String vendor;
    private RawMessage message;
    private Map<String, Decoded.Attachment> attachments;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        BenchHome.quietLogging();
        Path home = BenchHome.get();
        ConnectorCatalog catalog = ConnectorCatalog.load(home.resolve("connectors"), home.resolve("mappings"));
        Connector nasJson = catalog.find("nas-json").orElseThrow();
        CameraRegistry cameras = new CameraRegistry(home.resolve("config").resolve("cameras"));
        cameras.reload();
        normaliser = new Normaliser(cameras, new ValidationPolicy(Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofDays(7)));
        Instant captured = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        String json = "{\"vrm\":\"AB12 CDE\",\"captureTimeUtc\":\"" + captured + "\",\"cameraId\":\"MPS-DEMO-0001\","
                + "\"confidencePct\":93,\"direction\":\"TOWARDS\",\"countryCode\":\"GBR\",\"lane\":1}";
        message = new RawMessage(json.getBytes(StandardCharsets.UTF_8), "nas-json", "nas-json", "http", "application/json",
                Map.of(), "127.0.0.1", null, null, Instant.now());
        Connector.Extracted extracted = nasJson.extract(message);
        if (extracted.reads().size() != 1) {
            throw new IllegalStateException("nas-json made " + extracted.reads().size() + " reads of one canonical read");
        }
        read = extracted.reads().get(0);
        vendor = nasJson.vendor();
        attachments = extracted.decoded().attachments();
        normaliser.normalise(read, vendor, message, attachments, false); // refused now -> fail before measuring
    }

    @Benchmark
    public Normaliser.Normalised normalise() {
        return normaliser.normalise(read, vendor, message, attachments, false);
    }
}
