package uk.anprhub.bench.jmh;

import uk.anprhub.bench.BenchHome;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import uk.anprhub.bench.ConnectorSamples;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.message.RawMessage;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.model.VendorRead;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decode + JSLT mapping + normalisation of one connector on its positive samples: what the hub does with a message
 * before storing it ({@link Connector#extract}, then {@link Normaliser#normalise} of every read), the same work and
 * the same inputs as {@code uk.anprhub.bench.ConnectorThroughput} ({@link ConnectorSamples}), measured by JMH.
 *
 * <p>Each invocation processes the next sample message (round robin over the connector's samples, built in memory
 * once, so no file I/O is measured). Samples yield 0..n reads, so the <b>headline figure is the secondary result
 * {@code reads}</b> (JMH {@code @AuxCounters}: reads per second, i.e. ops = reads); the primary score and
 * {@code messages} are messages per second.
 *
 * <p>{@code connector}: every connector in {@code connectors/} by default. {@code bench/jmh.sh} passes the list it
 * finds in {@code connectors/} (so a new connector is measured without editing this file); the list below is the
 * fallback for a direct {@code org.openjdk.jmh.Main} run. One: {@code -p connector=hikvision-isapi}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConnectorBenchmark {

    @Param({"axis-lpv-json", "axis-lpv-multipart", "axis-onvif-event", "bof2-soap", "dahua-itc", "frigate-mqtt",
            "genetec-sharp-json", "genetec-sharpv-ftp", "hikvision-ftp", "hikvision-isapi", "hikvision-pull",
            "lilin-alarm", "lilin-search", "milesight-http", "nas-json", "openalpr-group", "platerecognizer-stream",
            "survision"})
    public String connector;

    private Connector c;
    private Normaliser normaliser;
    private RawMessage[] messages;
    private int[] reads;
    private int next;

    /** Per-iteration counters JMH reports as rates: {@code reads}/s (the headline) and {@code messages}/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long reads;
        public long messages;

        @Setup(Level.Iteration)
        public void reset() {
            reads = 0;
            messages = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        BenchHome.quietLogging();
        Path home = BenchHome.get();
        ConnectorCatalog catalog = ConnectorCatalog.load(home.resolve("connectors"), home.resolve("mappings"));
        c = catalog.find(connector).orElseThrow(() -> new IllegalStateException("connector " + connector + " "
                + (catalog.broken().containsKey(connector) ? "does not load: " + catalog.broken().get(connector) : "does not exist")));
        normaliser = ConnectorSamples.demoNormaliser(home);
        ConnectorSamples.Prepared p = ConnectorSamples.prepare(c, normaliser,
                home.resolve("connectors").resolve(connector).resolve("samples"), o -> { });
        if (p.readsPerCycle() == 0) {
            throw new IllegalStateException(connector + ": no usable positive sample yielding a read " + p.notes());
        }
        if (!p.notes().isEmpty()) {
            System.err.println(connector + ": " + p.notes());
        }
        messages = p.samples().stream().map(ConnectorSamples.Sample::message).toArray(RawMessage[]::new);
        reads = p.samples().stream().mapToInt(ConnectorSamples.Sample::reads).toArray();
        next = 0;
    }

    @Benchmark
    public void decodeMapNormalise(Counters counters, Blackhole bh) {
        int i = next;
        RawMessage message = messages[i];
        Connector.Extracted extracted = c.extract(message);
        List<VendorRead> vendorReads = extracted.reads();
        for (int r = 0; r < vendorReads.size(); r++) {
            bh.consume(normaliser.normalise(vendorReads.get(r), c.vendor(), message, extracted.decoded().attachments(), false));
        }
        bh.consume(extracted);
        counters.reads += vendorReads.size();
        counters.messages++;
        next = i + 1 == messages.length ? 0 : i + 1;
    }
}
