package uk.anprhub.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * One message as a transport received it, before any decoding. Kept whole so that a message that cannot be
 * decoded is quarantined with its exact bytes and can be re-processed after a mapping fix.
 *
 * @param headers transport headers with lower-case names (HTTP headers, Kafka headers, MQTT properties)
 */
public record RawMessage(byte[] payload, String feed, String connector, String transport, String contentType,
                         Map<String, String> headers, String remoteAddr, String filename, String folder,
                         Instant receivedAt) {

    public RawMessage {
        payload = payload == null ? new byte[0] : payload;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public RawMessage withConnector(String id) {
        return new RawMessage(payload, feed, id, transport, contentType, headers, remoteAddr, filename, folder, receivedAt);
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }
}
