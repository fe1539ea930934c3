package uk.anprhub.alert;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import uk.anprhub.audit.AuditLog;

import java.util.List;
import java.util.Map;

/** {@code /api/v1/alert-webhooks} (role ops, like the rest of /api): outbox status per target and replay of dead letters (audited). */
@RestController
@RequestMapping("/api/v1/alert-webhooks")
class WebhookApi {

    private final Webhooks webhooks;
    private final AuditLog audit;

    WebhookApi(Webhooks webhooks, AuditLog audit) {
        this.webhooks = webhooks;
        this.audit = audit;
    }

    @GetMapping
    List<Webhooks.Status> status() {
        return webhooks.status();
    }

    @PostMapping("/{target}/replay")
    ResponseEntity<Map<String, Object>> replay(@PathVariable String target, @RequestParam(required = false) String why) {
        String reason = AuditLog.requireWhy(why);
        if (!webhooks.known(target)) {
            return ResponseEntity.notFound().build();
        }
        int n = webhooks.replay(target);
        audit.record("alert-webhook-replay", Map.of("target", target, "why", AuditLog.printable(reason, 500), "count", n));
        return ResponseEntity.ok(Map.of("target", target, "requeued", n));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> invalid(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "invalid-request", "detail", String.valueOf(e.getMessage())));
    }
}
