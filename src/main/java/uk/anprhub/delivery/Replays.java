package uk.anprhub.delivery;

import uk.anprhub.audit.AuditLog;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Replay, always audited: who (the audit actor), when, target, kind, filter, why and how many reads were queued. */
final class Replays {

    private final DeadLetters deadLetters;
    private final AuditLog audit;

    Replays(DeadLetters deadLetters, AuditLog audit) {
        this.deadLetters = deadLetters;
        this.audit = audit;
    }

    Replay deadLetters(DeadLetters.Filter filter, String why) {
        requireWhy(why);
        UUID id = UUID.randomUUID();
        int n = deadLetters.requeue(filter, id);
        record(id, filter.target(), "dead-letters", filter(filter.from(), filter.to(), filter.cameraId(), filter.reason()), why, n);
        return new Replay(id, filter.target(), "dead-letters", n);
    }

    Replay range(String target, Instant from, Instant to, String cameraId, String why) {
        requireWhy(why);
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("from and to are required, from before to");
        }
        UUID id = UUID.randomUUID();
        int n = deadLetters.resend(target, from, to, cameraId, id);
        record(id, target, "range", filter(from, to, cameraId, null), why, n);
        return new Replay(id, target, "range", n);
    }

    private void record(UUID id, String target, String kind, Map<String, Object> filter, String why, int count) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("replayId", id.toString());
        detail.put("target", target);
        detail.put("kind", kind);
        detail.put("filter", filter);
        detail.put("why", why);
        detail.put("count", count);
        audit.record("delivery.replay", detail);
    }

    private static Map<String, Object> filter(Instant from, Instant to, String camera, String reason) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("from", from == null ? null : from.toString());
        f.put("to", to == null ? null : to.toString());
        f.put("cameraId", camera);
        f.put("reason", reason);
        return f;
    }

    private static void requireWhy(String why) {
        if (why == null || why.isBlank()) {
            throw new IllegalArgumentException("a reason (why) is required: every replay is audited");
        }
    }
}
