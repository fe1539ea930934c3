package uk.anprhub.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict binding of a descriptor file against its published JSON Schema (docs/schemas/, on the classpath under
 * schemas/). An unknown key is the first thing reported, naming the file, the key, where it is and the keys allowed
 * there: a typo such as {@code timezone:} must refuse the file, not silently change behaviour.
 */
public final class DescriptorSchema {

    /** connectors/&lt;id&gt;/connector.yaml, decoder options included. */
    public static final DescriptorSchema CONNECTOR = new DescriptorSchema("connector.schema.json");
    /** The camera registry files (anpr.cameras.location; the demo registry src/test/resources/cameras). */
    public static final DescriptorSchema CAMERA_REGISTRY = new DescriptorSchema("camera-registry.schema.json");

    private static final String UNKNOWN_KEY = "additionalProperties";

    private final String name;
    private final JsonNode schemaNode;
    private final JsonSchema schema;

    private DescriptorSchema(String name) {
        this.name = name;
        try (InputStream in = DescriptorSchema.class.getClassLoader().getResourceAsStream("schemas/" + name)) {
            if (in == null) {
                throw new IllegalStateException("schemas/" + name + " is not on the classpath (docs/schemas/ in the build)");
            }
            this.schemaNode = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schemas/" + name, e);
        }
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode);
    }

    /** The schema's file name under docs/schemas/. */
    public String name() {
        return name;
    }

    /** Refuses the first unknown key of {@code file}'s content, if any. Call before reading the content. */
    public void checkKeys(String file, JsonNode content) throws IOException {
        List<String> unknown = problems(file, content, true);
        if (!unknown.isEmpty()) {
            throw new IOException(unknown.get(0));
        }
    }

    /** Refuses {@code file} when it does not validate at all (unknown keys first). */
    public void check(String file, JsonNode content) throws IOException {
        checkKeys(file, content);
        List<String> other = problems(file, content, false);
        if (!other.isEmpty()) {
            throw new IOException(String.join("; ", other));
        }
    }

    /** Every problem of the content, one message each (unknown keys only, or the other kinds only). */
    public List<String> problems(String file, JsonNode content, boolean unknownKeys) {
        List<String> out = new ArrayList<>();
        List<ValidationMessage> messages = new ArrayList<>(schema.validate(content));
        messages.sort(Comparator.comparing(m -> m.getInstanceLocation().toString()));
        for (ValidationMessage m : messages) {
            boolean unknown = UNKNOWN_KEY.equals(m.getType());
            if (unknown != unknownKeys) {
                continue;
            }
            String where = where(m.getInstanceLocation(), content);
            if (unknown) {
                out.add(file + ": unknown key '" + m.getProperty() + "'" + (where.isEmpty() ? "" : " in " + where)
                        + "; allowed keys there: " + String.join(", ", allowed(m)) + " (schema docs/schemas/" + name + ")");
            } else if (!"allOf".equals(m.getType()) && !"if".equals(m.getType()) && !"then".equals(m.getType())) {
                out.add(file + ": " + (where.isEmpty() ? "" : where + ": ") + message(m) + " (schema docs/schemas/" + name + ")");
            }
        }
        return out;
    }

    /** The validator's message without its own instance path (already said by {@link #where}). */
    private static String message(ValidationMessage m) {
        String text = m.getMessage();
        String location = m.getInstanceLocation().toString();
        return text.startsWith(location + ": ") ? text.substring(location.length() + 2) : text;
    }

    /** The keys the schema object that refused the key declares. */
    private Set<String> allowed(ValidationMessage m) {
        JsonNodePath fragment = m.getSchemaLocation().getFragment();
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < fragment.getNameCount() - 1; i++) { // the last element is "additionalProperties"
            pointer.append('/').append(String.valueOf(fragment.getElement(i)).replace("~", "~0").replace("/", "~1"));
        }
        Set<String> keys = new TreeSet<>();
        schemaNode.at(pointer.toString()).path("properties").fieldNames().forEachRemaining(keys::add);
        if (keys.isEmpty()) {
            keys.add("(none)");
        }
        return keys;
    }

    /** A readable place in the file: "options", "cameras[2] (cameraId X).device"; empty at the top level. */
    private static String where(JsonNodePath path, JsonNode content) {
        StringBuilder out = new StringBuilder();
        JsonNode node = content;
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                node = node.path(index);
                out.append('[').append(index).append(']');
                if (node.hasNonNull("cameraId")) {
                    out.append(" (cameraId ").append(node.get("cameraId").asText()).append(')');
                }
            } else {
                node = node.path(String.valueOf(element));
                out.append(out.isEmpty() ? "" : ".").append(element);
            }
        }
        return out.toString();
    }
}
