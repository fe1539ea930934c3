package uk.anprhub.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.audit.AuditLog;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The delivery targets of this instance, in one place for the API, health, JMX and the routes: their workers (drained
 * by the {@code delivery-<target>} routes), pause/resume ({@link TargetPauses}), the figures behind the gauges and
 * status ({@link TargetFigures}, refreshed here every {@code stats-interval}), dead letters and audited replay
 * ({@link Replays}). Built by {@link DeliveryFactory}.
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);

    private final Map<String, TargetWorker> workers;
    private final DeadLetters deadLetters;
    private final AuditLog audit;
    private final Replays replays;
    private final TargetFigures figures;
    private final TargetPauses pauses;
    private final Duration statsInterval;
    private final MeterRegistry meters;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "delivery-stats");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;

    public DeliveryService(Map<String, TargetWorker> workers, DeliveryStore store, DeadLetters deadLetters, AuditLog audit,
                           Clock clock, Duration statsInterval, MeterRegistry meters) {
        this.workers = Map.copyOf(workers);
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.replays = new Replays(deadLetters, audit);
        this.figures = new TargetFigures(workers, store, clock, meters);
        this.pauses = new TargetPauses(store, audit);
        this.statsInterval = statsInterval;
        this.meters = meters;
        for (TargetWorker w : workers.values()) {
            w.onAuthFailure(reason -> pause(w.id(), reason));
        }
    }

    /** Reads the durable pause state and starts refreshing the figures. */
    public void start() {
        refresh();
        long ms = Math.max(100, statsInterval.toMillis());
        scheduler.scheduleWithFixedDelay(this::refresh, ms, ms, TimeUnit.MILLISECONDS);
    }

    public void routeControl(RouteControl control) {
        pauses.routeControl(control);
    }

    public MeterRegistry meters() {
        return meters;
    }

    public Map<String, TargetWorker> workers() {
        return workers;
    }

    public TargetWorker worker(String target) {
        TargetWorker w = workers.get(target);
        if (w == null) {
            throw new UnknownTargetException(target, workers.keySet());
        }
        return w;
    }

    /** Delivers the target's backlog (what its route does at every poll); returns when there is nothing to send now. */
    public void drain(String target, BooleanSupplier keepGoing) {
        try {
            worker(target).drain(() -> running && keepGoing.getAsBoolean());
        } catch (RuntimeException e) {
            log.error("Delivery target {}: drain failed", target, e);
        }
    }

    /** Recomputes backlog, lag and dead letters, and follows pause/resume made by another instance. */
    public void refresh() {
        for (TargetWorker w : workers.values()) {
            try {
                figures.refresh(w);
                pauses.follow(w);
            } catch (SQLException | RuntimeException e) {
                log.warn("Delivery target {}: cannot refresh figures ({})", w.id(), describe(e));
            }
        }
    }

    public DeliveryStore.Figures figures(String target) {
        worker(target);
        return figures.figures(target);
    }

    /** Closes the target's breaker and drops any back-off, so the next poll sends at once; audited. */
    public void probeNow(String target, String actor) {
        worker(target).resetBreaker();
        audit.record(actor, "delivery.probe-now", Map.of("target", target));
        log.info("Delivery target {}: breaker reset by {}; sending at the next poll", target, actor);
    }

    public List<TargetStatus> status() {
        return workers.values().stream().map(figures::status).toList();
    }

    public TargetStatus status(String target) {
        return figures.status(worker(target));
    }

    /** Pauses a target on every instance (durable) and suspends its route here; audited. Idempotent. */
    public void pause(String target, String reason) {
        pauses.pause(worker(target), reason);
    }

    public void resume(String target, String why) {
        pauses.resume(worker(target), why);
    }

    public List<DeadLetter> deadLetters(DeadLetters.Filter filter, int limit) {
        worker(filter.target());
        return deadLetters.list(filter, limit);
    }

    /** Re-queues the dead letters matching the filter; audited with who, filter, reason and count. */
    public Replay replayDeadLetters(DeadLetters.Filter filter, String why) {
        worker(filter.target());
        Replay r = replays.deadLetters(filter, why);
        refreshSoon();
        return r;
    }

    /** Re-sends every read captured in [from, to) to the target (e.g. after NAS reports data loss); audited. */
    public Replay resend(String target, Instant from, Instant to, String cameraId, String why) {
        worker(target);
        Replay r = replays.range(target, from, to, cameraId, why);
        refreshSoon();
        return r;
    }

    private void refreshSoon() {
        scheduler.execute(this::refresh);
    }

    @Override
    public void close() {
        running = false;
        scheduler.shutdownNow();
        workers.values().forEach(TargetWorker::close);
    }

    /** The error's class and SQLState, never its text (a database error can quote row values). */
    static String describe(Exception e) {
        return e instanceof SQLException sql ? "SQLState " + sql.getSQLState() : e.getClass().getSimpleName();
    }
}
