package uk.anprhub.delivery;

import java.util.UUID;

/** A replay's answer: what was queued and under which id (also in the audit log). */
public record Replay(UUID replayId, String target, String kind, int queued) {
}
