package uk.anprhub.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import uk.anprhub.audit.AuditLog;

import java.sql.SQLException;
import java.util.Map;

/**
 * Pause and resume of a target: durable in {@code delivery_target}, so every instance follows; audited; the
 * target's route suspended or resumed so Hawtio shows the state. Each change holds the worker's lock, so a refresh
 * never reads a pause/resume of this instance half-written.
 */
final class TargetPauses {

    private static final Logger log = LoggerFactory.getLogger(TargetPauses.class);

    private final DeliveryStore store;
    private final AuditLog audit;
    private volatile RouteControl routes = RouteControl.NONE;

    TargetPauses(DeliveryStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    void routeControl(RouteControl control) {
        this.routes = control;
    }

    /** Pauses the target on every instance (durable) and suspends its route here; audited. Idempotent. */
    void pause(TargetWorker w, String reason) {
        synchronized (w) {
            String target = w.id();
            if (w.paused() && pausedInDatabase(target)) {
                return;
            }
            String why = reason == null || reason.isBlank() ? "paused" : reason;
            w.pauseLocally(why);
            try {
                store.setPaused(target, true, why, actor());
            } catch (SQLException e) {
                log.error("Delivery target {}: pause not recorded in the database (this instance is paused)", target, e);
            }
            audit.record("delivery.pause", Map.of("target", target, "reason", why));
            log.warn("Delivery target {} paused: {}", target, why);
            routes.suspend(target);
        }
    }

    void resume(TargetWorker w, String why) {
        synchronized (w) {
            String target = w.id();
            if (!w.paused() && !pausedInDatabase(target)) {
                return; // (another instance may have paused it and this one not have noticed yet: resume anyway)
            }
            w.resumeLocally();
            try {
                store.setPaused(target, false, null, null);
            } catch (SQLException e) {
                log.error("Delivery target {}: resume not recorded in the database", target, e);
            }
            audit.record("delivery.resume", Map.of("target", target, "why", why == null ? "" : why));
            log.info("Delivery target {} resumed", target);
            routes.resume(target);
        }
    }

    /** Follows a pause or resume made by another instance (read from the database). */
    void follow(TargetWorker w) throws SQLException {
        synchronized (w) {
            DeliveryStore.TargetRow row = store.target(w.id());
            if (row.paused() && !w.paused()) {
                w.pauseLocally(row.pausedReason());
                routes.suspend(w.id());
            } else if (!row.paused() && w.paused()) {
                w.resumeLocally();
                routes.resume(w.id());
            }
        }
    }

    private boolean pausedInDatabase(String target) {
        try {
            return store.target(target).paused();
        } catch (SQLException e) {
            log.warn("Delivery target {}: cannot read its pause state ({})", target, DeliveryService.describe(e));
            return false;
        }
    }

    private static String actor() {
        var who = SecurityContextHolder.getContext().getAuthentication();
        return who == null ? "system" : who.getName();
    }
}
