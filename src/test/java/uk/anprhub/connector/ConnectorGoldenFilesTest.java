package uk.anprhub.connector;

import uk.anprhub.normalise.OfflineRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.model.CanonicalSchema;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.ValidationPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every sample of every connector, discovered from the file system (no per-vendor code, no registration): a
 * positive sample must yield exactly its {@code .expected.json} reads (compared semantically, and valid against
 * the canonical JSON Schema); a negative one must be refused with the reason on the first line of its
 * {@code .expected-error.txt}. Run with {@code -Dgolden.update=<connector id>} (or {@code all}) to rewrite that
 * connector's expected files from the current output — then review the diff.
 */
class ConnectorGoldenFilesTest {

    static final Path CONNECTORS = Path.of("connectors");
    static ConnectorCatalog catalog;
    static OfflineRun run;

    @BeforeAll
    static void load() throws IOException {
        catalog = ConnectorCatalog.load(CONNECTORS, Path.of("mappings"));
        CameraRegistry cameras = new CameraRegistry(Path.of("src", "test", "resources", "cameras"));
        cameras.reload();
        run = new OfflineRun(new Normaliser(cameras, ValidationPolicy.offline(null)), false);
    }

    static Stream<Arguments> samples() throws IOException {
        try (Stream<Path> files = Files.walk(CONNECTORS)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getParent().getFileName().toString().equals("samples"))
                    .filter(p -> !p.startsWith(CONNECTORS.resolve("_template")))
                    .filter(OfflineRun::isPayload)
                    .sorted()
                    .map(p -> Arguments.of(p.getParent().getParent().getFileName().toString(), p.getFileName().toString(), p))
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("samples")
    void sampleYieldsItsExpectedResult(String connectorId, String name, Path sample) throws IOException {
        String only = System.getProperty("golden.update", "");
        check(catalog, run, connectorId, sample, only.equals("all") || only.equals(connectorId));
    }

    /**
     * The golden check of one sample of a connector of {@code catalog} (also run by NewcomerIT over a copy of the
     * catalogue); with {@code update}, a positive sample's {@code .expected.json} is rewritten instead.
     */
    static void check(ConnectorCatalog catalog, OfflineRun run, String connectorId, Path sample, boolean update) throws IOException {
        String name = sample.getFileName().toString();
        assertThat(catalog.broken()).as("broken connectors").doesNotContainKey(connectorId);
        Connector connector = catalog.find(connectorId).orElseThrow(() -> new AssertionError("no connector " + connectorId));
        Path expectedReads = OfflineRun.sibling(sample, ".expected.json");
        Path expectedError = OfflineRun.sibling(sample, ".expected-error.txt");
        assertThat(Files.exists(expectedReads) ^ Files.exists(expectedError))
                .as(name + " needs exactly one of .expected.json or .expected-error.txt").isTrue();
        if (Files.exists(expectedError)) {
            String reason = Files.readAllLines(expectedError).get(0).trim();
            try {
                List<NasRead> reads = run.run(connector, sample);
                fail("expected quarantine reason '" + reason + "' but got " + reads.size() + " read(s)");
            } catch (RejectedException e) {
                assertThat(e.reason()).as(e.detail()).isEqualTo(reason);
            }
            return;
        }
        List<NasRead> reads;
        try {
            reads = run.run(connector, sample);
        } catch (RejectedException e) {
            throw new AssertionError(name + " was refused: " + e.reason() + ": " + e.detail(), e);
        }
        ArrayNode actual = CanonicalSchema.MAPPER.createArrayNode();
        for (NasRead r : reads) {
            ObjectNode node = CanonicalSchema.MAPPER.valueToTree(r);
            assertThat(CanonicalSchema.errors(node)).as("schema errors of a read of " + name).isEmpty();
            node.remove("readId");
            node.remove("receivedTimeUtc");
            actual.add(node);
        }
        if (update) {
            Files.writeString(expectedReads, CanonicalSchema.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
            return;
        }
        JsonNode expected = CanonicalSchema.MAPPER.readTree(expectedReads.toFile());
        if (!expected.equals(NUMERIC, actual)) {
            assertThat(actual.toPrettyString()).as("canonical reads of " + name).isEqualTo(expected.toPrettyString());
        }
    }

    /** Numbers compare by value (97 equals 97.0); everything else by equality. */
    static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };
}
