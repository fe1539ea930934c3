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
import java.util.ArrayList;
import java.util.Arrays;
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
        checkFolder(dir, MAPPINGS);
    }

    /** The house rules for one connector folder whose mapping lives under {@code mappings} (also run by NewcomerIT). */
    static void checkFolder(Path dir, Path mappings) throws IOException {
        String id = dir.getFileName().toString();
        assertThat(id).as("connector id is lower-kebab").matches("[a-z0-9]+(-[a-z0-9]+)*");
        JsonNode d = YAML.readTree(dir.resolve("connector.yaml").toFile());
        assertThat(d.path("id").asText()).as("id equals folder name").isEqualTo(id);
        assertThat(d.path("vendor").asText()).isNotBlank();
        assertThat(d.path("title").asText()).isNotBlank();
        assertThat(d.path("description").asText()).as("description").isNotBlank();
        Path mapping = mappings.resolve(d.path("mapping").asText());
        assertThat(mapping).as("mapping file").isRegularFile();
        assertThat(mapping.getFileName().toString()).as("mapping named <id>-v<N>.jslt or shared via lib/")
                .matches("[a-z0-9-]+-v\\d+\\.jslt");
        assertThat(dir.resolve("README.md")).as("README").isRegularFile();
        Path samples = dir.resolve("samples");
        try (Stream<Path> files = Files.list(samples)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            List<List<String>> table = sampleTable(Files.readString(dir.resolve("README.md")));
            assertThat(table).as("README has a sample table (| sample | source ... |)").isNotEmpty();
            for (String stem : names.stream().map(n -> n.substring(0, n.indexOf('.'))).distinct().toList()) {
                assertThat(table).as("README's sample table lists " + stem + " with its source")
                        .anyMatch(row -> row.get(0).contains(stem) && row.stream().skip(1).anyMatch(c -> !c.isBlank()));
            }
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
    void sampleTableIsTheTableUnderASampleHeaderNotAnyMentionOfSource() {
        assertThat(sampleTable("Samples: from the vendor's source code.\n\n| | |\n|---|---|\n| sample | 001 |\n")).isEmpty();
        assertThat(sampleTable("""
                | Sample | source and changes |
                | --- | --- |
                | `001-read` | verbatim from the vendor's manual |
                | `900-cut` / `901-bad` | 001 cut short |

                | other | table |
                |---|---|
                | 002-x | y |
                """)).containsExactly(List.of("`001-read`", "verbatim from the vendor's manual"),
                List.of("`900-cut` / `901-bad`", "001 cut short"));
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

    /**
     * The rows (cells trimmed) of the README's table whose header starts with a "sample" column, header and
     * separator left out; empty when there is none.
     */
    static List<List<String>> sampleTable(String readme) {
        List<List<String>> rows = new ArrayList<>();
        Boolean sampleTable = null; // null: outside a table; else whether the table we are in is the sample table
        for (String line : readme.split("\n")) {
            String l = line.trim();
            if (!l.startsWith("|")) {
                sampleTable = null;
                continue;
            }
            List<String> cells = Arrays.stream(l.substring(1, l.endsWith("|") ? l.length() - 1 : l.length()).split("\\|", -1))
                    .map(String::trim).toList();
            if (sampleTable == null) {
                sampleTable = cells.size() > 1 && cells.get(0).equalsIgnoreCase("sample");
            } else if (sampleTable && !cells.get(0).matches(":?-+:?")) {
                rows.add(cells);
            }
        }
        return rows;
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
