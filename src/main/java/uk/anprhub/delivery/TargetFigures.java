package uk.anprhub.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each target's backlog, lag, dead letters and drain ETA, as last read from the database, and the gauges that show
 * them: health, status and metrics answer from these figures, never by asking the database.
 */
final class TargetFigures {

    private final DeliveryStore store;
    private final Clock clock;
    private final Map<String, DeliveryStore.Figures> figures = new ConcurrentHashMap<>();
    private final Map<String, DrainEstimate> drainEstimates = new ConcurrentHashMap<>();

    TargetFigures(Map<String, TargetWorker> workers, DeliveryStore store, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.clock = clock;
        for (TargetWorker w : workers.values()) {
            String id = w.id();
            figures.put(id, new DeliveryStore.Figures(0, null, 0));
            drainEstimates.put(id, new DrainEstimate(Duration.ofMinutes(1)));
            Gauge.builder("anpr_delivery_backlog", () -> figures.get(id).backlog())
                    .description("reads stored but not yet delivered to the target").tag("target", id).register(meters);
            Gauge.builder("anpr_delivery_lag_seconds", () -> lagSeconds(id))
                    .description("age of the oldest undelivered read").tag("target", id).register(meters);
            Gauge.builder("anpr_dead_letters", () -> figures.get(id).deadLetters())
                    .description("reads in the target's dead-letter store now").tag("target", id).register(meters);
            Gauge.builder("anpr_delivery_paused", () -> w.paused() ? 1 : 0)
                    .description("1 while the target is paused").tag("target", id).register(meters);
            Gauge.builder("anpr_delivery_drain_eta_seconds", () -> drainEtaSeconds(id))
                    .description("seconds until the backlog is delivered at the recent rate (0: none; -1: not draining)")
                    .tag("target", id).register(meters);
        }
    }

    /** Reads the target's figures again and samples its delivery rate. */
    void refresh(TargetWorker w) throws SQLException {
        DeliveryStore.Figures f = store.figures(w.id());
        figures.put(w.id(), f);
        drainEstimates.get(w.id()).sample(System.nanoTime(), w.deliveredCount(), f.backlog());
    }

    DeliveryStore.Figures figures(String target) {
        return figures.get(target);
    }

    long lagSeconds(String target) {
        Instant oldest = figures.get(target).oldestPending();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toSeconds());
    }

    long drainEtaSeconds(String target) {
        return drainEstimates.get(target).etaSeconds();
    }

    TargetStatus status(TargetWorker w) {
        return TargetStatus.of(w, figures.get(w.id()), lagSeconds(w.id()), drainEtaSeconds(w.id()));
    }
}
