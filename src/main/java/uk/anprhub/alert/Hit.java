package uk.anprhub.alert;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored hotlist hit as the alert stream, the webhooks and the API carry it. It holds the read's VRM (an officer
 * acts on it): never put one in a log line; {@link #toString()} leaves it out.
 *
 * @param match exact, wildcard, fuzzy (the read differs from the entry within OCR confusion classes) or partial (the
 *              read had unreadable characters, each taken as the entry's character there)
 */
public record Hit(long id, UUID readId, String vrm, String cameraId, Instant capturedAt, String listId, long entryId,
                  String entryVrm, String match, int priority, String category, List<String> markers,
                  String instructions, Instant matchedAt, Instant committedAt, Ack ack) {

    /** Who acknowledged the hit, when, with which outcome. */
    public record Ack(Instant at, String by, String outcome, String note) {
    }

    @Override
    public String toString() {
        return "Hit[id=" + id + ", list=" + listId + ", entry=" + entryId + ", match=" + match + "]";
    }
}
