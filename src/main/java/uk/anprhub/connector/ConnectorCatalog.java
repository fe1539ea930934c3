package uk.anprhub.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.Parser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import uk.anprhub.connector.decode.Decoders;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * All connectors, loaded from connectors/ and mappings/ in the working directory when they exist, else from
 * the classpath (the jar carries both folders). A broken connector is logged and left out; the others load.
 */
public final class ConnectorCatalog {

    private static final Logger log = LoggerFactory.getLogger(ConnectorCatalog.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, Connector> connectors;
    private final Map<String, String> broken;

    private ConnectorCatalog(Map<String, Connector> connectors, Map<String, String> broken) {
        this.connectors = Collections.unmodifiableMap(connectors);
        this.broken = Collections.unmodifiableMap(broken);
    }

    public Optional<Connector> find(String id) {
        return Optional.ofNullable(connectors.get(id));
    }

    public Map<String, Connector> all() {
        return connectors;
    }

    /** Connector id to the reason it failed to load. */
    public Map<String, String> broken() {
        return broken;
    }

    public static ConnectorCatalog load(Path connectorsDir, Path mappingsDir) {
        Source source = Files.isDirectory(connectorsDir) && Files.isDirectory(mappingsDir)
                ? new DirSource(connectorsDir, mappingsDir) : new ClasspathSource();
        Map<String, Connector> ok = new TreeMap<>();
        Map<String, String> broken = new TreeMap<>();
        Map<String, String> descriptors;
        try {
            descriptors = source.descriptors();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list connectors in " + source, e);
        }
        for (Map.Entry<String, String> e : descriptors.entrySet()) {
            String id = e.getKey();
            try {
                ok.put(id, parse(id, e.getValue(), source));
            } catch (Exception ex) {
                broken.put(id, ex.getMessage());
                log.error("Connector '{}' not loaded: {}", id, ex.getMessage());
            }
        }
        log.info("Connectors: {} loaded from {}{}", ok.size(), source, broken.isEmpty() ? "" : ", " + broken.size() + " broken " + broken.keySet());
        return new ConnectorCatalog(ok, broken);
    }

    static Connector parse(String folder, String yaml, Source source) throws IOException {
        JsonNode d = YAML.readTree(yaml);
        if (d == null || !d.isObject()) {
            throw new IOException("connector.yaml is empty or not a mapping");
        }
        String id = need(d, "id");
        if (!id.equals(folder)) {
            throw new IOException("id '" + id + "' must equal its folder name '" + folder + "'");
        }
        String decoderName = need(d, "decoder");
        Decoder decoder;
        try {
            decoder = Decoders.byName(decoderName);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        Map<String, String> options = new LinkedHashMap<>();
        d.path("options").fields().forEachRemaining(o -> options.put(o.getKey(), o.getValue().asText()));
        String mappingPath = need(d, "mapping");
        String jslt = source.mapping(mappingPath);
        if (jslt == null) {
            throw new IOException("mapping file mappings/" + mappingPath + " does not exist");
        }
        Expression mapping;
        try {
            mapping = new Parser(new StringReader(jslt)).withSource(mappingPath)
                    .withResourceResolver(path -> {
                        String text = source.mapping(path);
                        if (text == null) {
                            throw new com.schibsted.spt.data.jslt.JsltException("imported mappings/" + path + " does not exist");
                        }
                        return new StringReader(text);
                    }).compile();
        } catch (RuntimeException e) {
            throw new IOException("mapping " + mappingPath + " does not compile: " + e.getMessage());
        }
        List<String> contentTypes = new java.util.ArrayList<>();
        d.path("contentTypes").forEach(t -> contentTypes.add(t.asText().toLowerCase(java.util.Locale.ROOT)));
        return new Connector(id, need(d, "vendor"), need(d, "title"), d.path("description").asText(""),
                decoderName, Map.copyOf(options), List.copyOf(contentTypes), mappingPath, decoder, mapping);
    }

    private static String need(JsonNode d, String field) throws IOException {
        JsonNode v = d.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw new IOException("connector.yaml has no '" + field + "'");
        }
        return v.asText();
    }

    /** Where connector descriptors and mappings are read from. */
    interface Source {
        /** folder name to connector.yaml text */
        Map<String, String> descriptors() throws IOException;

        /** mapping text by path relative to mappings/, or null */
        String mapping(String path);
    }

    record DirSource(Path connectors, Path mappings) implements Source {
        @Override
        public Map<String, String> descriptors() {
            Map<String, String> out = new TreeMap<>();
            try (Stream<Path> dirs = Files.list(connectors)) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    Path yaml = dir.resolve("connector.yaml");
                    if (Files.isRegularFile(yaml) && !dir.getFileName().toString().startsWith("_")) {
                        out.put(dir.getFileName().toString(), Files.readString(yaml));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + connectors, e);
            }
            return out;
        }

        @Override
        public String mapping(String path) {
            Path p = mappings.resolve(path).normalize();
            try {
                return p.startsWith(mappings.normalize()) && Files.isRegularFile(p) ? Files.readString(p) : null;
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return connectors.toAbsolutePath().normalize() + " and " + mappings.toAbsolutePath().normalize();
        }
    }

    static final class ClasspathSource implements Source {
        private final PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();

        @Override
        public Map<String, String> descriptors() throws IOException {
            Map<String, String> out = new TreeMap<>();
            for (Resource r : resolver.getResources("classpath*:connectors/*/connector.yaml")) {
                String url = r.getURL().toString();
                String[] parts = url.split("/");
                String folder = parts[parts.length - 2];
                if (!folder.startsWith("_")) {
                    try (InputStream in = r.getInputStream()) {
                        out.put(folder, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
            return out;
        }

        @Override
        public String mapping(String path) {
            if (path.contains("..")) {
                return null;
            }
            try (InputStream in = ConnectorCatalog.class.getClassLoader().getResourceAsStream("mappings/" + path)) {
                return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return "the classpath";
        }
    }

    public List<String> ids() {
        return List.copyOf(connectors.keySet());
    }
}
