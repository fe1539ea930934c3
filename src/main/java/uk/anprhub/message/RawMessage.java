package uk.anprhub.message;

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

    /**
     * Header a transport sets when its sender is bound to cameras (an FTP account): comma-separated camera ids, a
     * trailing {@code *} matching a prefix; empty = no camera. Only ever narrows what a sender may post.
     */
    public static final String ALLOWED_CAMERAS = "anpr-allowed-cameras";

    /** False when the transport bound this message to cameras ({@link #ALLOWED_CAMERAS}) and {@code cameraId} is not one. */
    public boolean allowsCamera(String cameraId) {
        String allowed = headers.get(ALLOWED_CAMERAS);
        if (allowed == null) {
            return true;
        }
        for (String id : allowed.split(",")) {
            String e = id.trim();
            if (!e.isEmpty() && cameraId != null
                    && (e.endsWith("*") ? cameraId.startsWith(e.substring(0, e.length() - 1)) : e.equals(cameraId))) {
                return true;
            }
        }
        return false;
    }
}
