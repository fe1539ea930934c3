package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A decoded message: the tree a JSLT mapping reads, plus the binary attachments (multipart parts, the file
 * itself) that the mapping may point at by name for images.
 */
public record Decoded(JsonNode tree, Map<String, Attachment> attachments) {

    public Decoded {
        attachments = attachments == null ? Map.of() : Map.copyOf(attachments);
    }

    public static Decoded of(JsonNode tree) {
        return new Decoded(tree, Map.of());
    }

    /** A binary part of a message (an image part, the uploaded file). */
    public record Attachment(String name, String contentType, byte[] bytes) {
    }
}
