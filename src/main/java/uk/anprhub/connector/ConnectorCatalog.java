package uk.anprhub.connector;

import uk.anprhub.connector.decode.Decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.Parser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.connector.decode.Decoders;
import uk.anprhub.descriptor.DescriptorSchema;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * All connectors, loaded from connectors/ and mappings/ in the working directory when they exist, else from
 * the classpath (the jar carries both folders). A broken connector is logged and left out; the others load.
 * Lookups go through an immutable snapshot, so {@link #reload()} (after a mapping fix) swaps it atomically and
 * never blocks ingest; a connector that breaks on reload keeps its previous version.
 */
public final class ConnectorCatalog {

    private static final Logger log = LoggerFactory.getLogger(ConnectorCatalog.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final ConnectorSource source;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(Map.of(), Map.of(), Map.of()));
    private volatile long loadedStamp;

    /** Connectors by id, connector id to the reason it failed to load, and what each loaded one was built from. */
    private record Snapshot(Map<String, Connector> connectors, Map<String, String> broken, Map<String, String> fingerprints) {
    }

    /** What a reload did: connectors loaded now, the ids whose files changed, and those left broken (id to reason). */
    public record Reloaded(int loaded, List<String> changed, Map<String, String> broken) {
    }

    private ConnectorCatalog(ConnectorSource source) {
        this.source = source;
    }

    public Optional<Connector> find(String id) {
        return Optional.ofNullable(snapshot.get().connectors().get(id));
    }

    public Map<String, Connector> all() {
        return snapshot.get().connectors();
    }

    /** Connector id to the reason it failed to load (on a reload: a connector new or never loaded before). */
    public Map<String, String> broken() {
        return snapshot.get().broken();
    }

    public static ConnectorCatalog load(Path connectorsDir, Path mappingsDir) {
        ConnectorSource source = Files.isDirectory(connectorsDir) && Files.isDirectory(mappingsDir)
                ? new ConnectorSource.Dir(connectorsDir, mappingsDir) : new ConnectorSource.Classpath();
        ConnectorCatalog catalog = new ConnectorCatalog(source);
        catalog.loadedStamp = source.stamp();
        Map<String, Connector> ok = new TreeMap<>();
        Map<String, String> broken = new TreeMap<>();
        Map<String, String> fingerprints = new HashMap<>();
        for (Map.Entry<String, String> e : catalog.descriptors().entrySet()) {
            String id = e.getKey();
            try {
                Connector c = parse(id, e.getValue(), source);
                ok.put(id, c);
                fingerprints.put(id, catalog.fingerprint(e.getValue(), c));
            } catch (Exception ex) {
                broken.put(id, ex.getMessage());
                log.error("Connector '{}' not loaded: {}", id, ex.getMessage());
            }
        }
        log.info("Connectors: {} loaded from {}{}", ok.size(), source, broken.isEmpty() ? "" : ", " + broken.size() + " broken " + broken.keySet());
        catalog.snapshot.set(new Snapshot(Collections.unmodifiableMap(ok), Collections.unmodifiableMap(broken), fingerprints));
        return catalog;
    }

    /**
     * Reads every connector file again. A connector whose files no longer load keeps its previous version (one ERROR
     * line says which and why); a removed folder removes its connector. The jar's copy never changes.
     */
    public synchronized Reloaded reload() {
        long stamp = source.stamp();
        Snapshot before = snapshot.get();
        Map<String, Connector> ok = new TreeMap<>();
        Map<String, String> broken = new TreeMap<>();
        Map<String, String> fingerprints = new HashMap<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : descriptors().entrySet()) {
            String id = e.getKey();
            Connector previous = before.connectors().get(id);
            try {
                Connector now = parse(id, e.getValue(), source);
                ok.put(id, now);
                fingerprints.put(id, fingerprint(e.getValue(), now));
                if (!fingerprints.get(id).equals(before.fingerprints().get(id))) {
                    changed.add(id);
                }
            } catch (Exception ex) {
                if (previous != null) {
                    ok.put(id, previous);
                    fingerprints.put(id, before.fingerprints().get(id));
                    log.error("Connector '{}' not reloaded, previous version kept: {}", id, oneLine(ex.getMessage()));
                } else {
                    broken.put(id, ex.getMessage());
                    log.error("Connector '{}' not loaded: {}", id, oneLine(ex.getMessage()));
                }
            }
        }
        before.connectors().keySet().stream().filter(id -> !ok.containsKey(id)).forEach(changed::add);
        snapshot.set(new Snapshot(Collections.unmodifiableMap(ok), Collections.unmodifiableMap(broken), fingerprints));
        loadedStamp = stamp;
        log.info("Connectors reloaded: {} loaded from {}, changed {}{}", ok.size(), source, changed,
                broken.isEmpty() ? "" : ", " + broken.size() + " broken " + broken.keySet());
        return new Reloaded(ok.size(), List.copyOf(changed), Map.copyOf(broken));
    }

    /** Reloads when a connector or mapping file was added, removed or changed since the last load; never throws. */
    public void reloadIfChanged() {
        try {
            if (source.stamp() != loadedStamp) {
                reload();
            }
        } catch (RuntimeException e) {
            log.error("Connectors under {} not reloaded, previous ones kept: {}", source, e.getMessage());
        }
    }

    /** A parser's message in one log line: its first line and where ("at file:line:col"), without the list of expected tokens. */
    static String oneLine(String message) {
        if (message == null) {
            return "?";
        }
        String[] lines = message.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        return lines.length > 1 && last.startsWith("at ") ? lines[0].strip() + " (" + last + ")" : lines[0].strip();
    }

    /** What a connector was built from (descriptor and top-level mapping text), to report which ones changed. */
    private String fingerprint(String descriptor, Connector c) {
        return descriptor + '\0' + source.mapping(c.mappingPath());
    }

    private Map<String, String> descriptors() {
        try {
            return source.descriptors();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list connectors in " + source, e);
        }
    }

    static Connector parse(String folder, String yaml, ConnectorSource source) throws IOException {
        JsonNode d = YAML.readTree(yaml);
        if (d == null || !d.isObject()) {
            throw new IOException("connector.yaml is empty or not a mapping");
        }
        String file = "connectors/" + folder + "/connector.yaml";
        DescriptorSchema.CONNECTOR.checkKeys(file, d); // a typo refuses this connector alone, before it can mislead
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
        try {
            decoder = decoder.bind(options); // e.g. the text decoder's pattern, compiled once, here
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
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
        DescriptorSchema.CONNECTOR.check(file, d); // what the checks above did not already say better (types, enums)
        List<String> contentTypes = new java.util.ArrayList<>();
        d.path("contentTypes").forEach(t -> contentTypes.add(t.asText().toLowerCase(java.util.Locale.ROOT)));
        return new Connector(id, need(d, "vendor"), need(d, "title"), d.path("description").asText(""),
                decoderName, Map.copyOf(options), List.copyOf(contentTypes), mappingPath, decoder, mapping,
                d.path("identity").asText(Connector.IDENTITY_PAYLOAD), pictures(d.path("pictures")));
    }

    /**
     * Default 2 MB (the inline picture limit) and 10 s; off unless {@code fetch: true}; the {@code url} template
     * either way. The schema checked the shape, {@link PictureUrls#checkTemplate} the template.
     */
    private static Connector.Pictures pictures(JsonNode p) throws IOException {
        String url = p.path("url").isTextual() ? p.path("url").asText() : null;
        if (url != null) {
            String problem = PictureUrls.checkTemplate(url);
            if (problem != null) {
                throw new IOException("pictures.url: " + problem);
            }
        }
        if (p.isMissingNode() || !p.path("fetch").asBoolean(false)) {
            return url == null ? Connector.Pictures.OFF : new Connector.Pictures(false, 0, java.time.Duration.ZERO, List.of(), url, null);
        }
        List<String> hosts = new java.util.ArrayList<>();
        p.path("hosts").forEach(h -> hosts.add(h.asText().toLowerCase(java.util.Locale.ROOT)));
        return new Connector.Pictures(true, p.path("maxBytes").asLong(2L * 1024 * 1024),
                duration(p.path("timeout").asText("10s")), hosts, url, p.has("login")
                        ? new Connector.Login(p.path("login").path("usernameEnv").asText(), p.path("login").path("passwordEnv").asText())
                        : null);
    }

    /** {@code 500ms} or {@code 10s} (the schema's pattern). */
    private static java.time.Duration duration(String text) {
        return text.endsWith("ms") ? java.time.Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
                : java.time.Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }

    private static String need(JsonNode d, String field) throws IOException {
        JsonNode v = d.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw new IOException("connector.yaml has no '" + field + "'");
        }
        return v.asText();
    }

    public List<String> ids() {
        return List.copyOf(all().keySet());
    }
}
