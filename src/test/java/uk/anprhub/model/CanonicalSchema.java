package uk.anprhub.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: validates canonical reads against docs/nas-read.schema.json (JSON Schema 2020-12, with format
 * assertions on) and serialises {@link NasRead} the way the running hub does. Reused by the golden-file test.
 */
public final class CanonicalSchema {

    /** The schema file, relative to the project directory (surefire's working directory and {@code basedir}). */
    public static final Path FILE = Path.of(System.getProperty("basedir", "."), "docs", "nas-read.schema.json");

    /**
     * A mapper configured like Spring Boot's auto-configured one: java.time, Optional and parameter-name modules,
     * dates as ISO strings rather than timestamps, unknown properties tolerated on input.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .addModule(new ParameterNamesModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static volatile JsonSchema schema;

    private CanonicalSchema() {
    }

    /** The schema document itself. */
    public static JsonNode schemaNode() {
        try {
            return MAPPER.readTree(Files.readString(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath(), e);
        }
    }

    public static JsonSchema schema() {
        JsonSchema s = schema;
        if (s == null) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode(), config);
            schema = s;
        }
        return s;
    }

    /** A read exactly as the hub writes it (JSON text through the Spring-like mapper, read back as a tree). */
    public static JsonNode toJson(NasRead read) {
        try {
            return MAPPER.readTree(MAPPER.writeValueAsString(read));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Schema violations of one canonical read (an object), or of every read of an array of them (the form of
     * {@code *.expected.json}; messages are then prefixed with {@code [index]}). Empty when valid.
     */
    public static List<String> errors(JsonNode json) {
        List<String> errors = new ArrayList<>();
        if (json != null && json.isArray()) {
            for (int i = 0; i < json.size(); i++) {
                for (String e : validate(json.get(i))) {
                    errors.add("[" + i + "] " + e);
                }
            }
            return errors;
        }
        errors.addAll(validate(json));
        return errors;
    }

    public static List<String> errors(NasRead read) {
        return errors(toJson(read));
    }

    private static List<String> validate(JsonNode read) {
        List<String> errors = new ArrayList<>();
        for (ValidationMessage m : schema().validate(read)) {
            errors.add(m.getMessage());
        }
        errors.sort(null);
        return errors;
    }
}
