package uk.anprhub.delivery;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health component {@code delivery}, one child per target: DOWN when its credentials failed, its TLS handshake fails
 * (certificates) or its lag exceeds the threshold.
 */
final class DeliveryHealth {

    private DeliveryHealth() {
    }

    static CompositeHealthContributor of(DeliveryService delivery) {
        Map<String, HealthContributor> targets = new LinkedHashMap<>();
        for (String id : delivery.workers().keySet()) {
            targets.put(id, (HealthIndicator) () -> {
                DeliveryService.Status s = delivery.status(id);
                Health.Builder b = s.healthy() ? Health.up() : Health.down().withDetail("problem", s.problem());
                return b.withDetail("backlog", s.backlog()).withDetail("lagSeconds", s.lagSeconds())
                        .withDetail("deadLetters", s.deadLetters()).withDetail("breaker", s.breaker())
                        .withDetail("paused", s.paused()).build();
            });
        }
        return CompositeHealthContributor.fromMap(targets);
    }
}
