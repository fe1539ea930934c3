package uk.anprhub.simulator.camera;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import uk.anprhub.normalise.OfflineRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A connector's sample files (payloads, their .meta.yaml and expected results), from disk or from the jar. */
final class SampleFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SampleFiles() {
    }

    static String sibling(String name, String suffix) {
        return OfflineRun.sibling(Path.of(name), suffix).getFileName().toString();
    }

    static JsonNode yaml(byte[] bytes) throws IOException {
        JsonNode n = bytes == null ? null : YAML.readTree(bytes);
        return n == null || n.isMissingNode() ? YAML.createObjectNode() : n;
    }

    /** Sample file name to bytes, from connectors/ on disk when it exists, else from the classpath (the jar). */
    static Map<String, byte[]> samples(String connectorId, Path connectorsDir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path dir = connectorsDir.resolve(connectorId).resolve("samples");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                for (Path p : list.filter(Files::isRegularFile).toList()) {
                    files.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
            return files;
        }
        for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:connectors/" + connectorId + "/samples/*")) {
            if (r.isReadable() && r.getFilename() != null) {
                try (var in = r.getInputStream()) {
                    files.put(r.getFilename(), in.readAllBytes());
                }
            }
        }
        return files;
    }
}
