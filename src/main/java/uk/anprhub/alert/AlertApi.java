package uk.anprhub.alert;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import uk.anprhub.audit.AuditLog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api/v1/alerts} (any role; docs/hotlists.md#alerts): the live stream of hits (and camera events for ops),
 * the latest hits, and acknowledgement. Each caller sees only the hits of lists whose hit role they hold.
 */
@RestController
@RequestMapping("/api/v1/alerts")
class AlertApi {

    /** How an officer closes a hit. */
    static final List<String> OUTCOMES = List.of("stopped", "not-stopped", "not-found", "misread", "no-action");
    /** Most stored hits sent to a resuming stream (the rest: GET /api/v1/alerts). */
    private static final int MAX_RESUME = 10_000;

    private final HitStore hits;
    private final Alerts alerts;
    private final AlertStream stream;
    private final AuditLog audit;
    private final AlertProperties props;

    AlertApi(HitStore hits, Alerts alerts, AlertStream stream, AuditLog audit, AlertProperties props) {
        this.hits = hits;
        this.alerts = alerts;
        this.stream = stream;
        this.audit = audit;
        this.props = props;
    }

    /**
     * Server-Sent Events: {@code hit} (id = hit id), {@code ack}, and for ops {@code camera}. With
     * {@code Last-Event-ID} (the browser sends it on reconnect) or {@code ?since=} the stored hits after it come
     * first, then the live ones, in id order.
     */
    @GetMapping(path = "/stream", produces = "text/event-stream")
    SseEmitter stream(Authentication who, @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                      @RequestParam(required = false) Long since) {
        Set<String> roles = roles(who);
        Long after = since;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.valueOf(lastEventId.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Last-Event-ID is not a hit id");
            }
        }
        SseEmitter emitter = new SseEmitter(props.streamTimeout().toMillis());
        AlertStream.Subscriber s = stream.subscribe(emitter, roles, Alerts.ops(roles));
        s.offer(AlertStream.Event.COMMENT); // answers the headers now: the client knows it is subscribed
        long lastId = after == null ? 0 : after;
        int sent = 0;
        while (after != null && sent < MAX_RESUME) {
            List<Hit> page = hits.since(lastId, roles, 500);
            for (Hit h : page) {
                s.offer(new AlertStream.Event("hit", h.id(), h, null));
                lastId = h.id();
            }
            sent += page.size();
            if (page.size() < 500) {
                break;
            }
        }
        s.caughtUp(lastId); // live hits held meanwhile follow, those the backlog had skipped
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("since", after);
        detail.put("count", sent);
        audit.record("alert-stream", detail);
        return emitter;
    }

    /** The latest hits the caller may see, newest first ({@code open=true}: not yet acknowledged); audited. */
    @GetMapping
    List<Hit> recent(Authentication who, @RequestParam(defaultValue = "50") int limit,
                     @RequestParam(defaultValue = "false") boolean open) {
        List<Hit> out = hits.recent(roles(who), open, Math.max(1, Math.min(limit, 1_000)));
        audit.record("alerts-view", Map.of("limit", limit, "open", open, "count", out.size()));
        return out;
    }

    record AckRequest(String outcome, String note) {
    }

    /** Who, when, outcome: audited with the acknowledgement in one transaction. */
    @PostMapping("/{hitId}/ack")
    ResponseEntity<Object> ack(Authentication who, @PathVariable long hitId, @RequestBody AckRequest body) {
        if (body == null || body.outcome() == null || !OUTCOMES.contains(body.outcome())) {
            throw new IllegalArgumentException("outcome must be one of " + OUTCOMES);
        }
        if (body.note() != null && body.note().length() > 500) {
            throw new IllegalArgumentException("note is longer than 500 characters");
        }
        String role = hits.roleOf(hitId).orElse(null);
        if (role == null || !roles(who).contains(role)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "not-found", "detail", "no such hit"));
        }
        String note = body.note() == null ? null : AuditLog.printable(body.note().strip(), 500);
        Boolean done = hits.tx().execute(t -> {
            if (!hits.ack(hitId, who.getName(), body.outcome(), note)) {
                return false;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("hit", hitId);
            detail.put("outcome", body.outcome());
            detail.put("note", note);
            audit.record("alert-ack", detail);
            return true;
        });
        Hit hit = hits.byId(hitId).orElseThrow();
        if (!Boolean.TRUE.equals(done)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "already-acknowledged", "ack", hit.ack()));
        }
        alerts.acknowledged(hit);
        return ResponseEntity.ok(hit);
    }

    static Set<String> roles(Authentication who) {
        return who.getAuthorities().stream().map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("ROLE_"))
                .map(a -> a.substring(5)).collect(Collectors.toUnmodifiableSet());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> invalid(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "invalid-request", "detail", String.valueOf(e.getMessage())));
    }

    @ExceptionHandler(IllegalStateException.class)
    ResponseEntity<Map<String, String>> busy(IllegalStateException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "busy", "detail", String.valueOf(e.getMessage())));
    }
}
