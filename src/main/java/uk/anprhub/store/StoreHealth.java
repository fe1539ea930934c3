package uk.anprhub.store;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** The group-commit queue: how many reads wait for a commit; DOWN while senders are being refused. */
@Component("store")
class StoreHealth implements HealthIndicator {

    private final ReadWriter writer;

    StoreHealth(ReadWriter writer) {
        this.writer = writer;
    }

    @Override
    public Health health() {
        int pending = writer.pendingReads();
        int max = writer.maxPendingReads();
        Health.Builder h = pending >= max ? Health.down() : Health.up();
        return h.withDetail("pendingReads", pending).withDetail("maxPendingReads", max).build();
    }
}
