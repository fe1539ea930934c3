package uk.anprhub.delivery;

import java.time.Instant;
import java.util.UUID;

/** One dead letter (a read the target refused for good), with the target's own answer ({@code response}) verbatim. */
public record DeadLetter(long id, String target, UUID readId, Instant capturedAt, String cameraId, Instant failedAt,
                         int attempts, String reason, String response, String status, Instant replayedAt, UUID replayId) {
}
