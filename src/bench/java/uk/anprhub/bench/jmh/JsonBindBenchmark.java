package uk.anprhub.bench.jmh;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import uk.anprhub.bench.BenchHome;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.model.VendorRead;
import uk.anprhub.normalise.Normaliser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two databind steps of a canonical read on the hot path, with and without Jackson 2's Blackbird module
 * ({@code blackbird}): the mapping's output tree to a {@link VendorRead} ({@code Connector.extract}) and the canonical
 * {@link NasRead} to the stored body's text ({@code ReadBatchWriter}, once per read). A typical nas-json read without
 * pictures, as the camera simulator sends.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JsonBindBenchmark {

    @Param({"false", "true"})
    public boolean blackbird;

    private ObjectReader vendorRead;
    private ObjectWriter body;
    private JsonNode mapped;
    private NasRead read;

    @Setup
    public void setUp() throws IOException {
        BenchHome.quietLogging();
        Path home = BenchHome.get();
        Connector c = ConnectorCatalog.load(home.resolve("connectors"), home.resolve("mappings")).find("nas-json").orElseThrow();
        CameraRegistry cameras = new CameraRegistry(home.resolve("src/test/resources/cameras"));
        cameras.reload();
        Instant now = Instant.now();
        String json = "{\"vrm\":\"AB12CDE\",\"captureTimeUtc\":\"" + now + "\",\"cameraId\":\"MPS-DEMO-0001\","
                + "\"confidencePct\":93,\"direction\":\"TOWARDS\",\"lane\":2,\"countryCode\":\"GBR\","
                + "\"readId\":\"cam-000123456\",\"vehicle\":{\"make\":\"FORD\",\"colour\":\"BLUE\"},"
                + "\"plateBox\":{\"x\":10,\"y\":20,\"w\":120,\"h\":30}}";
        RawMessage m = new RawMessage(json.getBytes(StandardCharsets.UTF_8), "nas-json", "nas-json", "http",
                "application/json", Map.of(), "127.0.0.1", null, null, now);
        mapped = c.mapping().apply(c.decoder().decode(m, c.options()).tree());
        read = new Normaliser(cameras, ValidationPolicy.offline(null))
                .normalise(c.extract(m).reads().get(0), c.vendor(), m, Map.of(), false).read()
                .withReadId(java.util.UUID.randomUUID());
        JsonMapper.Builder in = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        JsonMapper.Builder out = JsonMapper.builder().addModule(new JavaTimeModule());
        if (blackbird) {
            in.addModule(new BlackbirdModule());
            out.addModule(new BlackbirdModule());
        }
        ObjectMapper reader = in.build();
        vendorRead = reader.readerFor(VendorRead.class);
        body = out.build().writer();
    }

    @Benchmark
    public VendorRead treeToVendorRead() throws IOException {
        return vendorRead.readValue(mapped);
    }

    @Benchmark
    public String storedBody() throws IOException {
        return body.writeValueAsString(read);
    }
}
