package uk.anprhub.connector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A broken connector fails alone, with its reason; the others load. */
class ConnectorCatalogTest {

    @TempDir
    Path root;

    @Test
    void aBrokenConnectorIsLeftOutWithItsReasonAndTheOthersLoad() throws IOException {
        Path connectors = Files.createDirectories(root.resolve("connectors"));
        Path mappings = Files.createDirectories(root.resolve("mappings"));
        connector(connectors, "good", "decoder: json\nmapping: good/good-v1.jslt\n");
        Files.createDirectories(mappings.resolve("good"));
        Files.writeString(mappings.resolve("good/good-v1.jslt"), "{\"vrm\": .plate, \"time\": .t, \"timeFormat\": \"epoch-ms\"}");
        connector(connectors, "no-mapping", "decoder: json\nmapping: missing/missing-v1.jslt\n");
        connector(connectors, "bad-jslt", "decoder: json\nmapping: bad/bad-v1.jslt\n");
        Files.createDirectories(mappings.resolve("bad"));
        Files.writeString(mappings.resolve("bad/bad-v1.jslt"), "{\"vrm\": .plate,,, ");
        connector(connectors, "bad-decoder", "decoder: telepathy\nmapping: good/good-v1.jslt\n");
        Files.createDirectories(connectors.resolve("wrong-id"));
        Files.writeString(connectors.resolve("wrong-id/connector.yaml"), "id: other\nvendor: x\ntitle: t\ndecoder: json\nmapping: good/good-v1.jslt\n");
        Files.createDirectories(connectors.resolve("_template"));
        Files.writeString(connectors.resolve("_template/connector.yaml"), "id: _template\n");

        ConnectorCatalog catalog = ConnectorCatalog.load(connectors, mappings);

        assertThat(catalog.ids()).containsExactly("good");
        assertThat(catalog.broken()).containsOnlyKeys("no-mapping", "bad-jslt", "bad-decoder", "wrong-id");
        assertThat(catalog.broken().get("no-mapping")).contains("does not exist");
        assertThat(catalog.broken().get("bad-jslt")).contains("does not compile");
        assertThat(catalog.broken().get("bad-decoder")).contains("telepathy");
        assertThat(catalog.broken().get("wrong-id")).contains("must equal its folder name");
    }

    @Test
    void theJarCopyIsUsedWhenTheFoldersAreAbsent() {
        ConnectorCatalog catalog = ConnectorCatalog.load(root.resolve("nope"), root.resolve("nope2"));
        assertThat(catalog.ids()).contains("nas-json"); // target/classes/connectors is on the test classpath
    }

    @Test
    void aReloadPicksUpAMappingFixAndABrokenEditKeepsThePreviousVersion() throws IOException {
        Path connectors = Files.createDirectories(root.resolve("connectors"));
        Path mappings = Files.createDirectories(root.resolve("mappings/good"));
        connector(connectors, "good", "decoder: json\nmapping: good/good-v1.jslt\n");
        Path mapping = mappings.resolve("good-v1.jslt");
        Files.writeString(mapping, "{\"vrm\": .plate, \"time\": .t, \"timeFormat\": \"epoch-ms\"}");
        ConnectorCatalog catalog = ConnectorCatalog.load(connectors, root.resolve("mappings"));
        Connector first = catalog.find("good").orElseThrow();

        catalog.reloadIfChanged(); // nothing changed: the same instance
        assertThat(catalog.find("good")).containsSame(first);

        Files.writeString(mapping, "{\"vrm\": .registration, \"time\": .t, \"timeFormat\": \"epoch-ms\"}");
        ConnectorCatalog.Reloaded fixed = catalog.reload();
        assertThat(fixed.changed()).containsExactly("good");
        Connector second = catalog.find("good").orElseThrow();
        assertThat(second).isNotSameAs(first);

        Files.writeString(mapping, "{\"vrm\": .registration,,, ");
        Files.setLastModifiedTime(mapping, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        catalog.reloadIfChanged();
        assertThat(catalog.find("good")).as("a broken edit keeps the previous version").containsSame(second);
        assertThat(catalog.broken()).isEmpty();

        connector(connectors, "new-one", "decoder: json\nmapping: good/good-v1.jslt\n");
        connector(connectors, "new-broken", "decoder: telepathy\nmapping: good/good-v1.jslt\n");
        Files.writeString(mapping, "{\"vrm\": .plate, \"time\": .t, \"timeFormat\": \"epoch-ms\"}");
        ConnectorCatalog.Reloaded added = catalog.reload();
        assertThat(catalog.ids()).containsExactly("good", "new-one");
        assertThat(added.broken()).containsOnlyKeys("new-broken");
        assertThat(added.changed()).contains("good", "new-one");
    }

    private static void connector(Path connectors, String id, String rest) throws IOException {
        Files.createDirectories(connectors.resolve(id));
        Files.writeString(connectors.resolve(id).resolve("connector.yaml"), "id: " + id + "\nvendor: test\ntitle: " + id + "\n" + rest);
    }
}
