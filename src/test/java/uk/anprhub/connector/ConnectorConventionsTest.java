package uk.anprhub.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue's house rules, checked over whatever is in connectors/ and mappings/ (no hard-coded list). */
class ConnectorConventionsTest {

    static final Path CONNECTORS = Path.of("connectors");
    static final Path MAPPINGS = Path.of("mappings");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<Path> connectors() throws IOException {
        try (Stream<Path> dirs = Files.list(CONNECTORS)) {
            return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("_")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectors")
    void connectorFolderFollowsTheContract(Path dir) throws IOException {
        String id = dir.getFileName().toString();
        assertThat(id).as("connector id is lower-kebab").matches("[a-z0-9]+(-[a-z0-9]+)*");
        JsonNode d = YAML.readTree(dir.resolve("connector.yaml").toFile());
        assertThat(d.path("id").asText()).as("id equals folder name").isEqualTo(id);
        assertThat(d.path("vendor").asText()).isNotBlank();
        assertThat(d.path("title").asText()).isNotBlank();
        assertThat(d.path("description").asText()).as("description").isNotBlank();
        Path mapping = MAPPINGS.resolve(d.path("mapping").asText());
        assertThat(mapping).as("mapping file").isRegularFile();
        assertThat(mapping.getFileName().toString()).as("mapping named <id>-v<N>.jslt or shared via lib/")
                .matches("[a-z0-9-]+-v\\d+\\.jslt");
        assertThat(dir.resolve("README.md")).as("README").isRegularFile();
        assertThat(Files.readString(dir.resolve("README.md"))).as("README names its sample sources").containsIgnoringCase("source");
        Path samples = dir.resolve("samples");
        try (Stream<Path> files = Files.list(samples)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names).as("at least one positive sample").anyMatch(n -> n.endsWith(".expected.json"));
            assertThat(names).as("at least one negative sample").anyMatch(n -> n.endsWith(".expected-error.txt"));
            for (String n : names) {
                if (n.endsWith(".expected.json") || n.endsWith(".expected-error.txt") || n.endsWith(".meta.yaml")) {
                    String stem = n.substring(0, n.indexOf('.'));
                    assertThat(names).as(n + " has its payload").anyMatch(p -> p.startsWith(stem + ".") && !p.equals(n)
                            && !p.endsWith(".expected.json") && !p.endsWith(".expected-error.txt") && !p.endsWith(".meta.yaml"));
                }
            }
        }
    }

    @Test
    void everyMappingIsUsedByAConnectorOrIsSharedLibrary() throws IOException {
        Set<Path> referenced = new HashSet<>();
        for (Path dir : connectors()) {
            referenced.add(MAPPINGS.resolve(YAML.readTree(dir.resolve("connector.yaml").toFile()).path("mapping").asText()).normalize());
        }
        try (Stream<Path> files = Files.walk(MAPPINGS)) {
            List<Path> orphans = files.filter(p -> p.toString().endsWith(".jslt"))
                    .filter(p -> !p.startsWith(MAPPINGS.resolve("lib")))
                    .filter(p -> !referenced.contains(p.normalize()))
                    .filter(p -> !importedAnywhere(p))
                    .toList();
            assertThat(orphans).as("mapping files no connector uses").isEmpty();
        }
    }

    @Test
    void everyConnectorLoads() {
        ConnectorCatalog catalog = ConnectorCatalog.load(CONNECTORS, MAPPINGS);
        assertThat(catalog.broken()).isEmpty();
    }

    private static boolean importedAnywhere(Path mapping) {
        String rel = MAPPINGS.relativize(mapping).toString().replace('\\', '/');
        try (Stream<Path> files = Files.walk(MAPPINGS)) {
            return files.filter(p -> p.toString().endsWith(".jslt")).anyMatch(p -> {
                try {
                    return Files.readString(p).contains("\"" + rel + "\"");
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }
}
