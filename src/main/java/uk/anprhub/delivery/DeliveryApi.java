package uk.anprhub.delivery;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import uk.anprhub.audit.AuditLog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Ops API for delivery (role ops; docs/delivery.md): target status, pause/resume, dead letters by time, camera and
 * reason, and replay — of dead letters by filter, or of everything captured in a time range. Replays and
 * pause/resume are audited (who, when, filter, reason, count).
 */
@RestController
@RequestMapping("/api/v1/delivery")
class DeliveryApi {

    private final DeliveryService delivery;

    DeliveryApi(DeliveryService delivery) {
        this.delivery = delivery;
    }

    @GetMapping("/targets")
    List<TargetStatus> targets() {
        return delivery.status();
    }

    @GetMapping("/targets/{target}")
    TargetStatus target(@PathVariable String target) {
        return delivery.status(target);
    }

    @PostMapping("/targets/{target}/pause")
    TargetStatus pause(@PathVariable String target, @RequestParam(required = false) String why) {
        delivery.pause(target, AuditLog.requireWhy(why));
        return delivery.status(target);
    }

    @PostMapping("/targets/{target}/resume")
    TargetStatus resume(@PathVariable String target, @RequestParam(required = false) String why) {
        delivery.resume(target, why);
        return delivery.status(target);
    }

    /** Closes the target's breaker and sends at the next poll instead of waiting out the breaker's open time; audited. */
    @PostMapping("/targets/{target}/probe")
    TargetStatus probe(@PathVariable String target, java.security.Principal who) {
        delivery.probeNow(target, who == null ? "system" : who.getName());
        return delivery.status(target);
    }

    /** {@code from}/{@code to}: capture time (ISO-8601); {@code reason}: prefix; {@code status}: DEAD, REPLAYED or ALL. */
    @GetMapping("/dead-letters")
    List<DeadLetter> deadLetters(@RequestParam(defaultValue = "nas") String target,
                                        @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
                                        @RequestParam(required = false) String camera, @RequestParam(required = false) String reason,
                                        @RequestParam(defaultValue = "DEAD") String status,
                                        @RequestParam(defaultValue = "100") int limit) {
        return delivery.deadLetters(new DeadLetters.Filter(target, from, to, camera, reason, status), Math.min(limit, 10_000));
    }

    @PostMapping("/replay/dead-letters")
    Replay replayDeadLetters(@RequestParam(defaultValue = "nas") String target,
                                             @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
                                             @RequestParam(required = false) String camera, @RequestParam(required = false) String reason,
                                             @RequestParam(required = false) String why) {
        return delivery.replayDeadLetters(new DeadLetters.Filter(target, from, to, camera, reason, "DEAD"), AuditLog.requireWhy(why));
    }

    @PostMapping("/replay/range")
    Replay replayRange(@RequestParam(defaultValue = "nas") String target, @RequestParam Instant from,
                                       @RequestParam Instant to, @RequestParam(required = false) String camera,
                                       @RequestParam(required = false) String why) {
        return delivery.resend(target, from, to, camera, AuditLog.requireWhy(why));
    }

    @ExceptionHandler(UnknownTargetException.class)
    ResponseEntity<Map<String, String>> unknown(UnknownTargetException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "unknown-target", "detail", e.getMessage()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> invalid(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "invalid-request", "detail", String.valueOf(e.getMessage())));
    }
}
