package uk.anprhub.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.descriptor.DescriptorSchema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Descriptors are bound strictly against docs/schemas/: an unknown key refuses the file with a message naming the
 * file, the key and the allowed keys; every shipped connector and camera file validates.
 */
class DescriptorSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path root;

    @Test
    void anUnknownKeyInConnectorYamlRefusesThatConnectorAloneNamingFileKeyAndAllowedKeys() throws IOException {
        Path connectors = connectorsWithAGoodMapping();
        connector(connectors, "good", "decoder: json\nmapping: good/good-v1.jslt\n");
        connector(connectors, "typo", "decoder: json\nmapping: good/good-v1.jslt\ntimezone: Europe/London\n");

        ConnectorCatalog catalog = ConnectorCatalog.load(connectors, root.resolve("mappings"));

        assertThat(catalog.ids()).containsExactly("good");
        assertThat(catalog.broken()).containsOnlyKeys("typo");
        assertThat(catalog.broken().get("typo"))
                .contains("connectors/typo/connector.yaml").contains("unknown key 'timezone'")
                .contains("allowed keys there: contentTypes, decoder, description, id, identity, mapping, options, pictures, title, vendor");
    }

    @Test
    void anOptionTheDecoderDoesNotTakeRefusesTheConnector() throws IOException {
        Path connectors = connectorsWithAGoodMapping();
        connector(connectors, "kv-ok", "decoder: kv\noptions:\n  charset: ISO-8859-1\nmapping: good/good-v1.jslt\n");
        connector(connectors, "mp-typo", "decoder: multipart\noptions:\n  lenient_end: true\nmapping: good/good-v1.jslt\n");
        connector(connectors, "json-opt", "decoder: json\noptions:\n  charset: UTF-8\nmapping: good/good-v1.jslt\n");
        connector(connectors, "jsonc-opt", "decoder: jsonc\noptions:\n  charset: UTF-8\nmapping: good/good-v1.jslt\n");

        ConnectorCatalog catalog = ConnectorCatalog.load(connectors, root.resolve("mappings"));

        assertThat(catalog.ids()).containsExactly("kv-ok");
        assertThat(catalog.broken().get("mp-typo")).contains("connectors/mp-typo/connector.yaml")
                .contains("unknown key 'lenient_end' in options").contains("allowed keys there: boundary, lenient-end");
        assertThat(catalog.broken().get("json-opt")).contains("unknown key 'charset' in options")
                .contains("allowed keys there: base64-fields");
        assertThat(catalog.broken().get("jsonc-opt")).contains("unknown key 'charset' in options")
                .contains("allowed keys there: (none)");
    }

    @Test
    void aTextDecoderWithABadPatternRefusesThatConnectorAloneNamingTheFile() throws IOException {
        Path connectors = connectorsWithAGoodMapping();
        connector(connectors, "text-ok", "decoder: text\noptions:\n  pattern: '(?<t>\\d+) (?<plate>.+)'\nmapping: good/good-v1.jslt\n");
        connector(connectors, "text-bad", "decoder: text\noptions:\n  pattern: '(?<plate>[A-Z'\nmapping: good/good-v1.jslt\n");
        connector(connectors, "text-none", "decoder: text\nmapping: good/good-v1.jslt\n");
        connector(connectors, "text-typo", "decoder: text\noptions:\n  pattern: '(?<plate>.+)'\n  regex: x\nmapping: good/good-v1.jslt\n");

        ConnectorCatalog catalog = ConnectorCatalog.load(connectors, root.resolve("mappings"));

        assertThat(catalog.ids()).containsExactly("text-ok");
        assertThat(catalog.broken().get("text-bad")).contains("connectors/text-bad/connector.yaml")
                .contains("not a valid regular expression").doesNotContain("[A-Z");
        assertThat(catalog.broken().get("text-none")).contains("connectors/text-none/connector.yaml").contains("pattern");
        assertThat(catalog.broken().get("text-typo")).contains("unknown key 'regex' in options")
                .contains("allowed keys there: charset, pattern");
    }

    @Test
    void aBadIdentityValueRefusesTheConnector() throws IOException {
        Path connectors = connectorsWithAGoodMapping();
        connector(connectors, "addr", "decoder: json\nmapping: good/good-v1.jslt\nidentity: sender-address\n");
        connector(connectors, "bad", "decoder: json\nmapping: good/good-v1.jslt\nidentity: remoteAddr\n");

        ConnectorCatalog catalog = ConnectorCatalog.load(connectors, root.resolve("mappings"));

        assertThat(catalog.find("addr").orElseThrow().identity()).isEqualTo("sender-address");
        assertThat(catalog.broken().get("bad")).contains("connectors/bad/connector.yaml").contains("identity");
    }

    @Test
    void picturesAreFetchedOnlyWhenDeclaredAndTheirSettingsAreCheckedStrictly() throws IOException {
        Path connectors = connectorsWithAGoodMapping();
        connector(connectors, "plain", "decoder: json\nmapping: good/good-v1.jslt\n");
        connector(connectors, "fetch", "decoder: json\nmapping: good/good-v1.jslt\n"
                + "pictures: {fetch: true, maxBytes: 500000, timeout: 1500ms, hosts: [vms.example, 10.1.2.3]}\n");
        connector(connectors, "defaults", "decoder: json\nmapping: good/good-v1.jslt\npictures: {fetch: true}\n");
        connector(connectors, "typo", "decoder: json\nmapping: good/good-v1.jslt\npictures: {fetch: true, maxSize: 1}\n");
        connector(connectors, "badtime", "decoder: json\nmapping: good/good-v1.jslt\npictures: {fetch: true, timeout: 10}\n");
        connector(connectors, "badhost", "decoder: json\nmapping: good/good-v1.jslt\npictures: {fetch: true, hosts: ['http://x/']}\n");
        connector(connectors, "template", "decoder: json\nmapping: good/good-v1.jslt\n"
                + "pictures: {url: 'http://{camera}:8592/{ref}'}\n");
        // a template whose host is not the camera's address, or whose ref could reach the authority
        connector(connectors, "otherhost", "decoder: json\nmapping: good/good-v1.jslt\n"
                + "pictures: {fetch: true, url: 'http://vms.example/{ref}'}\n");
        connector(connectors, "login", "decoder: json\nmapping: good/good-v1.jslt\n"
                + "pictures: {fetch: true, login: {usernameEnv: CAM_USER, passwordEnv: CAM_PASSWORD}}\n");
        // the secret itself where a variable's name belongs
        connector(connectors, "secret", "decoder: json\nmapping: good/good-v1.jslt\n"
                + "pictures: {fetch: true, login: {usernameEnv: CAM_USER, password: hunter2}}\n");
        connector(connectors, "refhost", "decoder: json\nmapping: good/good-v1.jslt\n"
                + "pictures: {fetch: true, url: 'http://{ref}/x.jpg'}\n");

        ConnectorCatalog catalog = ConnectorCatalog.load(connectors, root.resolve("mappings"));

        assertThat(catalog.find("plain").orElseThrow().pictures()).isEqualTo(Connector.Pictures.OFF);
        Connector.Pictures p = catalog.find("fetch").orElseThrow().pictures();
        assertThat(p.fetch()).isTrue();
        assertThat(p.maxBytes()).isEqualTo(500_000);
        assertThat(p.timeout()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(p.hosts()).containsExactly("vms.example", "10.1.2.3");
        Connector.Pictures d = catalog.find("defaults").orElseThrow().pictures();
        assertThat(d.maxBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(d.timeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(d.hosts()).isEmpty();
        Connector.Pictures t = catalog.find("template").orElseThrow().pictures();
        assertThat(t.fetch()).as("a url alone does not switch fetching on").isFalse();
        assertThat(t.url()).isEqualTo("http://{camera}:8592/{ref}");
        assertThat(catalog.find("login").orElseThrow().pictures().login())
                .isEqualTo(new Connector.Login("CAM_USER", "CAM_PASSWORD"));
        assertThat(catalog.broken()).containsOnlyKeys("typo", "badtime", "badhost", "otherhost", "refhost", "secret");
        assertThat(catalog.broken().get("secret")).contains("password").doesNotContain("hunter2");
        assertThat(catalog.broken().get("otherhost")).contains("connectors/otherhost/connector.yaml").contains("url");
        assertThat(catalog.broken().get("typo")).contains("connectors/typo/connector.yaml").contains("maxSize");
    }

    @Test
    void anUnknownKeyInACameraFileRefusesTheFileNamingFileCameraKeyAndAllowedKeys() throws IOException {
        Path cameras = Files.createDirectories(root.resolve("cameras"));
        Files.writeString(cameras.resolve("a.yaml"), """
                cameras:
                  - { cameraId: OK-1, sourceId: S, feedId: F, vendor: axis, device: { serial: S1 } }
                """);
        CameraRegistry registry = new CameraRegistry(cameras);
        registry.reload();
        Files.writeString(cameras.resolve("b.yaml"), """
                cameras:
                  - { cameraId: TYPO-1, sourceId: S, feedId: F, vendor: axis, timezone: Europe/London }
                """);

        Throwable e = catchThrowable(registry::reload);

        assertThat(e).isInstanceOf(IOException.class).hasMessageContaining("b.yaml")
                .hasMessageContaining("unknown key 'timezone' in cameras[0] (cameraId TYPO-1)")
                .hasMessageContaining("cameraId, device, directions, feedId, site, sourceId, timeFormats, timeZone, vendor");
        assertThat(registry.cameras()).extracting(c -> c.cameraId()).containsExactly("OK-1"); // previous one kept

        Files.writeString(cameras.resolve("b.yaml"), """
                cameras:
                  - { cameraId: TYPO-2, sourceId: S, feedId: F, vendor: axis, device: { serialNumber: X } }
                """);
        assertThat(catchThrowable(registry::reload)).hasMessageContaining("b.yaml")
                .hasMessageContaining("unknown key 'serialNumber' in cameras[0] (cameraId TYPO-2).device")
                .hasMessageContaining("channel, ftpFolder, ip, mac, mqttName, name, serial");
    }

    @Test
    void everyShippedConnectorAndCameraFileValidates() throws IOException {
        List<String> problems = new ArrayList<>();
        int connectors = 0;
        int cameraFiles = 0;
        try (Stream<Path> files = Files.list(Path.of("connectors"))) {
            for (Path dir : files.filter(Files::isDirectory).sorted().toList()) {
                Path yaml = dir.resolve("connector.yaml");
                if (Files.isRegularFile(yaml)) {
                    problems.addAll(validate(DescriptorSchema.CONNECTOR, yaml));
                    connectors++;
                }
            }
        }
        try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "cameras"))) {
            for (Path yaml : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                problems.addAll(validate(DescriptorSchema.CAMERA_REGISTRY, yaml));
                assertThat(Files.readString(yaml)).as(yaml + " names its schema for editors")
                        .contains("# yaml-language-server: $schema=../../../../docs/schemas/camera-registry.schema.json");
                cameraFiles++;
            }
        }
        assertThat(Files.readString(Path.of("connectors/_template/connector.yaml")))
                .contains("# yaml-language-server: $schema=../../docs/schemas/connector.schema.json");
        assertThat(problems).isEmpty();
        assertThat(connectors).isGreaterThanOrEqualTo(18); // the template included
        assertThat(cameraFiles).isGreaterThanOrEqualTo(13);
    }

    @Test
    void thePublishedSchemasAreTheOnesTheLoaderUses() throws IOException {
        for (DescriptorSchema s : List.of(DescriptorSchema.CONNECTOR, DescriptorSchema.CAMERA_REGISTRY)) {
            try (var in = DescriptorSchemaTest.class.getClassLoader().getResourceAsStream("schemas/" + s.name())) {
                assertThat(in).as(s.name()).isNotNull();
                assertThat(new String(in.readAllBytes())).isEqualTo(Files.readString(Path.of("docs", "schemas", s.name())));
            }
        }
    }

    private static List<String> validate(DescriptorSchema schema, Path file) throws IOException {
        JsonNode content = YAML.readTree(file.toFile());
        List<String> out = new ArrayList<>(schema.problems(file.toString(), content, true));
        out.addAll(schema.problems(file.toString(), content, false));
        return out;
    }

    /** An empty connectors/ folder beside mappings/good/good-v1.jslt, a mapping every test connector can use. */
    private Path connectorsWithAGoodMapping() throws IOException {
        Path mappings = Files.createDirectories(root.resolve("mappings/good"));
        Files.writeString(mappings.resolve("good-v1.jslt"), "{\"vrm\": .plate, \"time\": .t, \"timeFormat\": \"epoch-ms\"}");
        return Files.createDirectories(root.resolve("connectors"));
    }

    private static void connector(Path connectors, String id, String rest) throws IOException {
        Files.createDirectories(connectors.resolve(id));
        Files.writeString(connectors.resolve(id).resolve("connector.yaml"), "id: " + id + "\nvendor: test\ntitle: " + id + "\n" + rest);
    }
}
