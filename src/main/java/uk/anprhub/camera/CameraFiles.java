package uk.anprhub.camera;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import uk.anprhub.descriptor.DescriptorSchema;
import uk.anprhub.model.NasRead.Direction;
import uk.anprhub.model.TimePatterns;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** One registry file (YAML, docs/camera-registry.md) read into cameras; every refusal names the file and the camera. */
final class CameraFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern CONNECTOR_ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private CameraFiles() {
    }

    static List<Camera> parse(Path file) throws IOException {
        JsonNode root = YAML.readTree(file.toFile());
        JsonNode list = root == null ? null : root.get("cameras");
        if (list == null || !list.isArray()) {
            throw new IOException(file + ": expected a top-level 'cameras:' list");
        }
        DescriptorSchema.CAMERA_REGISTRY.checkKeys(file.toString(), root); // a typo (timezone:) refuses the file
        List<Camera> cameras = new ArrayList<>();
        int i = 0;
        for (JsonNode c : list) {
            String where = file.getFileName() + " camera #" + (++i);
            String id = required(c, "cameraId", where);
            JsonNode d = c.path("device");
            JsonNode site = c.path("site");
            Map<String, Direction> directions = new HashMap<>();
            c.path("directions").fields().forEachRemaining(e -> directions.put(e.getKey().toLowerCase(Locale.ROOT),
                    Direction.valueOf(e.getValue().asText().toUpperCase(Locale.ROOT))));
            ZoneId zone;
            try {
                zone = c.hasNonNull("timeZone") ? ZoneId.of(c.get("timeZone").asText()) : null;
            } catch (RuntimeException e) {
                throw new IOException(where + ": unknown timeZone " + c.get("timeZone").asText());
            }
            Map<String, String> timeFormats = new HashMap<>();
            JsonNode formats = c.path("timeFormats");
            if (!formats.isMissingNode() && !formats.isNull() && !formats.isObject()) {
                throw new IOException(where + " (" + id + "): timeFormats must be a map of connector id to pattern");
            }
            for (var e : iterable(formats.fields())) {
                String connector = e.getKey();
                if (!CONNECTOR_ID.matcher(connector).matches()) {
                    throw new IOException(where + " (" + id + "): timeFormats key '" + connector
                            + "' is not a connector id (lower case letters, digits and dashes)");
                }
                String pattern = e.getValue().isValueNode() ? e.getValue().asText() : null;
                String problem = TimePatterns.problem(pattern);
                if (problem != null) {
                    throw new IOException(where + " (" + id + "): timeFormats." + connector + " '" + pattern + "' "
                            + problem);
                }
                timeFormats.put(connector, pattern);
            }
            cameras.add(new Camera(id, required(c, "sourceId", where), required(c, "feedId", where),
                    required(c, "vendor", where).toLowerCase(Locale.ROOT),
                    new Camera.Device(text(d, "serial"), CameraRegistry.mac(text(d, "mac")), text(d, "ip"), text(d, "channel"),
                            text(d, "ftpFolder"), text(d, "mqttName"), text(d, "name")),
                    site.hasNonNull("latitude") ? site.get("latitude").asDouble() : null,
                    site.hasNonNull("longitude") ? site.get("longitude").asDouble() : null,
                    zone, directions, timeFormats));
        }
        DescriptorSchema.CAMERA_REGISTRY.check(file.toString(), root); // what the checks above did not already say
        return cameras;
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }

    private static String required(JsonNode node, String field, String where) throws IOException {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new IOException(where + ": '" + field + "' is required");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
