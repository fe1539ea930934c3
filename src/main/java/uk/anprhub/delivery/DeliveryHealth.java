package uk.anprhub.delivery;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health component {@code delivery}, one child per target: {@code DEGRADED} (HTTP 200, ordered between UP and DOWN)
 * when its breaker is open (failing now), it is paused, its credentials failed, its TLS handshake fails (certificates)
 * or its lag exceeds the threshold.
 * Never DOWN: a national service in trouble must not make a load balancer cut the cameras off; the readiness group
 * leaves delivery out altogether. Answers from the figures the service keeps, never by asking the database.
 */
final class DeliveryHealth {

    /** The hub's own status between UP and DOWN ({@code management.endpoint.health.status.order}). */
    static final Status DEGRADED = new Status("DEGRADED", "the hub takes reads; delivery to this target is held up");

    private DeliveryHealth() {
    }

    static CompositeHealthContributor of(DeliveryService delivery) {
        Map<String, HealthContributor> targets = new LinkedHashMap<>();
        for (String id : delivery.workers().keySet()) {
            targets.put(id, (HealthIndicator) () -> {
                TargetStatus s = delivery.status(id);
                Health.Builder b = s.healthy() && !s.paused() ? Health.up() : Health.status(DEGRADED);
                if (!s.healthy()) {
                    b.withDetail("problem", s.problem());
                }
                return b.withDetail("backlog", s.backlog()).withDetail("lagSeconds", s.lagSeconds())
                        .withDetail("deadLetters", s.deadLetters()).withDetail("breaker", s.breaker())
                        .withDetail("paused", s.paused()).build();
            });
        }
        return CompositeHealthContributor.fromMap(targets);
    }
}
