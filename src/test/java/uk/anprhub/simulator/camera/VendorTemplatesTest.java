package uk.anprhub.simulator.camera;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.normalise.OfflineRun;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.ValidationPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof that templates work across the catalogue: every positive sample of every connector, varied for a
 * simulated camera, still normalises (offline, the connector's real decoder + mapping + validation) to reads with
 * the new plates, a current capture time and the simulated camera, which the generated registry resolves.
 */
class VendorTemplatesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyPositiveSampleOfEveryConnectorVariesIntoAReadOfTheSimulatedCamera(@TempDir Path tmp) throws Exception {
        ConnectorCatalog catalog = ConnectorCatalog.load(Path.of("connectors"), Path.of("mappings"));
        CameraRegistry demo = new CameraRegistry(Path.of("src", "test", "resources", "cameras"));
        demo.reload();
        Random random = new Random(42);
        Set<String> tested = new TreeSet<>();
        Set<String> notVaried = new TreeSet<>();
        List<String> notes = new ArrayList<>();
        for (Connector connector : catalog.all().values()) {
            String id = connector.id();
            VendorTemplates t = VendorTemplates.load(id, Path.of("connectors"), demo.cameras(), 3, true, notes::add);
            Path registryDir = Files.createDirectories(tmp.resolve(id).resolve("cameras"));
            for (Path f : Files.list(Path.of("src", "test", "resources", "cameras")).filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, registryDir.resolve(f.getFileName()));
            }
            Files.writeString(registryDir.resolve("sim.yaml"), t.registryYaml());
            CameraRegistry registry = new CameraRegistry(registryDir);
            registry.reload(); // the generated file is a valid registry, no id or identity clashes with the demo one
            OfflineRun run = new OfflineRun(new Normaliser(registry, ValidationPolicy.offline(null)), false);
            for (VendorTemplates.Template template : t.templates()) {
                String what = id + "/" + template.name();
                Message m = t.message(template, 2, random);
                Path payload = tmp.resolve(id).resolve("m" + template.name().replaceAll("^[^.]*", ""));
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("contentType", template.contentType());
                meta.put("filename", m.filename());
                meta.put("folder", template.folder());
                meta.put("remoteAddr", template.remoteAddr());
                meta.put("topic", template.topic());
                meta.put("headers", m.headers());
                Files.write(payload, m.body());
                YAML.writeValue(OfflineRun.metaFile(payload).toFile(), meta);
                List<NasRead> reads;
                try {
                    reads = run.run(connector, payload);
                } catch (RejectedException e) {
                    throw new AssertionError(what + " varied is refused: " + e.reason() + ": " + e.detail() + " notes " + notes);
                }
                assertThat(reads).as(what).hasSize(template.reads().size());
                Set<String> templatePlates = new HashSet<>();
                template.reads().forEach(r -> templatePlates.add(r.vrm()));
                for (int i = 0; i < reads.size(); i++) {
                    NasRead r = reads.get(i);
                    assertThat(m.plates()).as(what + " plate").contains(r.vrm());
                    assertThat(templatePlates).as(what + " plate varied").doesNotContain(r.vrm());
                    assertThat(r.captureTimeUtc()).as(what + " time").isBetween(Instant.now().minus(Duration.ofMinutes(1)), Instant.now());
                    if (template.identityVaried()) {
                        assertThat(r.cameraId()).as(what + " camera").isEqualTo(t.cameraId(2));
                    } else {
                        notVaried.add(id);
                        assertThat(r.cameraId()).as(what + " camera").isEqualTo(template.reads().get(i).cameraId());
                    }
                }
                assertThat(m.cameraIds()).as(what).containsExactlyElementsOf(reads.stream().map(NasRead::cameraId).toList());
                tested.add(id);
            }
        }
        // Whether a connector's camera can be varied per message is declared in its connector.yaml (identity:), not here.
        Set<String> declared = new TreeSet<>();
        catalog.all().values().stream().filter(c -> !Connector.IDENTITY_PAYLOAD.equals(c.identity()))
                .forEach(c -> declared.add(c.id()));
        List<String> fixes = new ArrayList<>();
        for (String id : notVaried) {
            if (!declared.contains(id)) {
                fixes.add("connectors/" + id + "/connector.yaml: its camera is not named in the payload, so it cannot be"
                        + " varied per message; add 'identity: sender-address' (the camera posts or is polled: remoteAddr)"
                        + " or 'identity: ftp-folder' (docs/connector-contract.md section 1)");
            }
        }
        for (String id : declared) {
            if (tested.contains(id) && !notVaried.contains(id)) {
                fixes.add("connectors/" + id + "/connector.yaml: declares 'identity: " + catalog.find(id).orElseThrow().identity()
                        + "' but its samples name the camera in the payload (it was varied); remove the identity: line"
                        + " (default payload)");
            }
        }
        assertThat(fixes).as("connector.yaml identity: declarations; notes " + notes).isEmpty();
        assertThat(tested).hasSizeGreaterThanOrEqualTo(17);
    }

    @Test
    void timeShapesOfTheCatalogueAreRecognised() {
        Instant t = Instant.parse("2024-05-01T12:34:56.789Z");
        assertThat(TimeShape.detect("2024-05-01T13:34:56.789+01:00", t, TimeShape.zones(null))).isPresent();
        assertThat(TimeShape.detect("20240501T1334567890", t, TimeShape.zones(java.time.ZoneId.of("Europe/London")))
                .orElseThrow().render().apply(t)).isEqualTo("20240501T1334567890");
        assertThat(TimeShape.detect("1714566896.789123", t, List.of()).orElseThrow().render().apply(t)).isEqualTo("1714566896.789000");
        assertThat(TimeShape.detect("1714566896789", t, List.of()).orElseThrow().name()).isEqualTo("epoch-ms");
        assertThat(TimeShape.detect("not a time", t, List.of())).isEmpty();
    }

    @Test
    void replacesWholeTokensOnly() {
        assertThat(TokenText.replace("\"AB12CDE\" xAB12CDE AB12CDEx _AB12CDE_", "AB12CDE", "ZZ99ZZZ"))
                .isEqualTo("\"ZZ99ZZZ\" xAB12CDE AB12CDEx _ZZ99ZZZ_");
    }
}
