package uk.anprhub.normalise;

import uk.anprhub.connector.Connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.VendorRead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A connector run on a captured file, with no server and no database: what {@code bin/anpr-hub normalise} and
 * the golden-file test use. Transport metadata for the file comes from {@code <file>.meta.yaml} when present
 * (contentType, headers, filename, folder, remoteAddr, transport).
 */
public final class OfflineRun {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Normaliser normaliser;
    private final boolean acceptUnknownCameras;

    public OfflineRun(Normaliser normaliser, boolean acceptUnknownCameras) {
        this.normaliser = normaliser;
        this.acceptUnknownCameras = acceptUnknownCameras;
    }

    /** @throws RejectedException when the file, or any read in it, would be quarantined by the hub */
    public List<NasRead> run(Connector connector, Path file) throws IOException {
        RawMessage message = message(connector, file);
        Connector.Extracted extracted = connector.extract(message);
        List<NasRead> reads = new ArrayList<>();
        for (VendorRead r : extracted.reads()) {
            reads.add(normaliser.normalise(r, connector.vendor(), connector.pictures().url(), message, extracted.decoded().attachments(),
                    acceptUnknownCameras).read());
        }
        return reads;
    }

    public static RawMessage message(Connector connector, Path file) throws IOException {
        Path metaFile = metaFile(file);
        JsonNode meta = Files.isRegularFile(metaFile) ? YAML.readTree(metaFile.toFile()) : YAML.createObjectNode();
        Map<String, String> headers = new HashMap<>();
        meta.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue().asText()));
        return new RawMessage(Files.readAllBytes(file), connector.id(), connector.id(), text(meta, "transport", "file"),
                text(meta, "contentType", null), headers, text(meta, "remoteAddr", null),
                text(meta, "filename", file.getFileName().toString()), text(meta, "folder", null), Instant.now());
    }

    /** {@code 001-read.xml} → {@code 001-read.meta.yaml} */
    public static Path metaFile(Path file) {
        return sibling(file, ".meta.yaml");
    }

    /** A sample's sidecar file: {@code 001-read.xml} → {@code 001-read<suffix>} (the name up to its first dot). */
    public static Path sibling(Path sample, String suffix) {
        String name = sample.getFileName().toString();
        int dot = name.indexOf('.');
        return sample.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + suffix);
    }

    /** True for a payload, false for the sidecars of a sample (expected results, transport metadata, README). */
    public static boolean isPayload(Path file) {
        String n = file.getFileName().toString();
        return !n.endsWith(".expected.json") && !n.endsWith(".expected-error.txt") && !n.endsWith(".meta.yaml")
                && !n.equals("README.md");
    }

    private static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
