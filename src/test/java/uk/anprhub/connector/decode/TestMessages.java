package uk.anprhub.connector.decode;

import uk.anprhub.message.RawMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** Builds raw messages for the decoder tests. */
final class TestMessages {

    private TestMessages() {
    }

    static RawMessage bytes(byte[] payload) {
        return message(payload, null, null, null);
    }

    static RawMessage text(String payload) {
        return bytes(payload.getBytes(StandardCharsets.UTF_8));
    }

    static RawMessage withContentType(byte[] payload, String contentType) {
        return message(payload, contentType, null, null);
    }

    static RawMessage file(byte[] payload, String filename, String folder) {
        return message(payload, null, filename, folder);
    }

    static RawMessage message(byte[] payload, String contentType, String filename, String folder) {
        return new RawMessage(payload, "test-feed", "test-connector", "http", contentType, Map.of(), "127.0.0.1",
                filename, folder, Instant.parse("2024-05-01T12:00:00Z"));
    }
}
