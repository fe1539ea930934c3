package uk.anprhub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.Connector;
import uk.anprhub.normalise.OfflineRun;
import uk.anprhub.message.RawMessage;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.model.VendorRead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A connector's positive samples, turned into in-memory {@link RawMessage}s that are known to yield their expected
 * number of reads: shared by the hand-made harness ({@link ConnectorThroughput}) and the JMH benchmarks
 * ({@code uk.anprhub.bench.jmh}), so both measure exactly the same inputs.
 *
 * <p>A positive sample is a payload in {@code connectors/<id>/samples/} with a {@code .expected.json} sibling
 * (naming rules: {@link OfflineRun#isPayload}, {@link OfflineRun#sibling}). A sample that is refused, fails, or yields
 * a different number of reads than expected is left out with a note.
 */
public final class ConnectorSamples {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message built once, with the number of reads it must yield. */
    public record Sample(String name, RawMessage message, int reads) {
    }

    /** The samples usable for measuring, why others were left out, and how many positive samples there were. */
    public record Prepared(List<Sample> samples, List<String> notes, int positives) {

        public int readsPerCycle() {
            return samples.stream().mapToInt(Sample::reads).sum();
        }
    }

    /** The normaliser the benchmarks use: the demo camera registry, offline validation (no age limit). */
    public static Normaliser demoNormaliser(Path home) throws IOException {
        CameraRegistry cameras = new CameraRegistry(home.resolve("config").resolve("cameras"));
        cameras.reload();
        return new Normaliser(cameras, ValidationPolicy.offline(null));
    }

    /** Payloads in {@code dir} with an {@code .expected.json} sibling, sorted by name. */
    public static List<Path> positive(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(OfflineRun::isPayload)
                    .filter(p -> Files.isRegularFile(OfflineRun.sibling(p, ".expected.json"))).sorted().toList();
        }
    }

    /** Builds the messages of {@code connector}'s positive samples under {@code samplesDir} and checks each once. */
    public static Prepared prepare(Connector connector, Normaliser normaliser, Path samplesDir, Consumer<Object> sink)
            throws IOException {
        List<Sample> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Path> samples = positive(samplesDir);
        for (Path sample : samples) {
            String name = sample.getFileName().toString();
            int expected = JSON.readTree(OfflineRun.sibling(sample, ".expected.json").toFile()).size();
            RawMessage message = OfflineRun.message(connector, sample);
            try {
                int got = once(connector, normaliser, message, sink);
                if (got != expected) {
                    notes.add(name + " yields " + got + " read(s), expected " + expected + ": left out");
                    continue;
                }
            } catch (RejectedException e) {
                notes.add(name + " refused (" + e.reason() + "): left out");
                continue;
            } catch (RuntimeException e) {
                notes.add(name + " failed (" + e.getClass().getSimpleName() + ": " + ConnectorThroughput.oneLine(e.getMessage())
                        + "): left out");
                continue;
            }
            out.add(new Sample(name, message, expected));
        }
        return new Prepared(List.copyOf(out), List.copyOf(notes), samples.size());
    }

    /** What the hub does with a message before storing it: decode + map, normalise every read; returns the reads. */
    public static int once(Connector connector, Normaliser normaliser, RawMessage message, Consumer<Object> sink) {
        Connector.Extracted extracted = connector.extract(message);
        List<VendorRead> reads = extracted.reads();
        for (int r = 0; r < reads.size(); r++) {
            sink.accept(normaliser.normalise(reads.get(r), connector.vendor(), message, extracted.decoded().attachments(), false));
        }
        sink.accept(extracted);
        return reads.size();
    }

    private ConnectorSamples() {
    }
}
