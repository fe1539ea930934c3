package uk.anprhub.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.store.ImageStore;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The delivery targets of this instance: their workers, pause/resume (durable in {@code delivery_target}, so every
 * instance follows), the figures behind the gauges and health, dead letters and audited replay.
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);

    /**
     * What the API shows of a target.
     *
     * @param lastError       the last failed send (HTTP status or error class, and when), null if none since start
     * @param drainEtaSeconds backlog ÷ this instance's delivery rate over the last minute; 0 with no backlog, -1 when
     *                        nothing was delivered lately
     */
    public record Status(String id, String type, String url, boolean paused, String pausedReason, String breaker,
                         long backlog, long lagSeconds, long deadLetters, boolean healthy, String problem,
                         String lastError, long drainEtaSeconds) {
    }

    /** A replay's answer: what was queued and under which id (also in the audit log). */
    public record Replay(UUID replayId, String target, String kind, int queued) {
    }

    /** Suspends/resumes the Camel route of a target, so Hawtio shows the state (no-op without Camel). */
    public interface RouteControl {
        RouteControl NONE = new RouteControl() {
            @Override
            public void suspend(String target) {
            }

            @Override
            public void resume(String target) {
            }
        };

        void suspend(String target);

        void resume(String target);
    }

    private final Map<String, TargetWorker> workers;
    private final DeliveryStore store;
    private final DeadLetters deadLetters;
    private final AuditLog audit;
    private final Replays replays;
    private final Clock clock;
    private final Duration statsInterval;
    private final MeterRegistry meters;
    private final Map<String, DeliveryStore.Figures> figures = new ConcurrentHashMap<>();
    private final Map<String, DrainEstimate> drainEstimates = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "delivery-stats");
        t.setDaemon(true);
        return t;
    });
    private ScheduledExecutorService polling;
    private volatile RouteControl routes = RouteControl.NONE;
    private volatile boolean running = true;

    public DeliveryService(Map<String, TargetWorker> workers, DeliveryStore store, DeadLetters deadLetters, AuditLog audit,
                           Clock clock, Duration statsInterval, MeterRegistry meters) {
        this.workers = Map.copyOf(workers);
        this.store = store;
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.replays = new Replays(deadLetters, audit);
        this.clock = clock;
        this.statsInterval = statsInterval;
        this.meters = meters;
        for (TargetWorker w : workers.values()) {
            String id = w.id();
            w.onAuthFailure(reason -> pause(id, reason));
            figures.put(id, new DeliveryStore.Figures(0, null, 0));
            Gauge.builder("anpr_delivery_backlog", () -> figures.get(id).backlog())
                    .description("reads stored but not yet delivered to the target").tag("target", id).register(meters);
            Gauge.builder("anpr_delivery_lag_seconds", () -> lagSeconds(id))
                    .description("age of the oldest undelivered read").tag("target", id).register(meters);
            Gauge.builder("anpr_dead_letters", () -> figures.get(id).deadLetters())
                    .description("reads in the target's dead-letter store now").tag("target", id).register(meters);
            Gauge.builder("anpr_delivery_paused", () -> w.paused() ? 1 : 0)
                    .description("1 while the target is paused").tag("target", id).register(meters);
            drainEstimates.put(id, new DrainEstimate(Duration.ofMinutes(1)));
            Gauge.builder("anpr_delivery_drain_eta_seconds", () -> drainEtaSeconds(id))
                    .description("seconds until the backlog is delivered at the recent rate (0: none; -1: not draining)")
                    .tag("target", id).register(meters);
        }
    }

    /**
     * Builds the workers of every enabled target from configuration (also used by tests and tools, without Spring).
     *
     * @param defaultNasUrl {@code ANPR_NAS_URL}, for a nas target without its own url
     * @param sslBundles    the bundles a target's {@code http.ssl-bundle} names (without Spring: an empty
     *                      {@code DefaultSslBundleRegistry} or one of your own)
     */
    public static DeliveryService create(DeliveryProperties props, DataSource dataSource, ImageStore images, ObjectMapper mapper,
                                         MeterRegistry meters, Clock clock, String defaultNasUrl, AuditLog audit,
                                         SslBundles sslBundles) {
        Map<String, java.net.URI> urls = TargetUrls.of(props, defaultNasUrl); // before anything starts: one clear line
        DeliveryStore store = new DeliveryStore(dataSource);
        Map<String, TargetWorker> workers = new LinkedHashMap<>();
        Map<String, Boolean> enabled = new LinkedHashMap<>();
        props.targets().forEach((id, t) -> {
            enabled.put(id, t.enabledFor(id));
            if (t.enabledFor(id)) {
                workers.put(id, new TargetWorker(id, t, urls.get(id), WireAdapters.create(id, t, images, mapper, defaultNasUrl, sslBundles),
                        store, meters));
            }
        });
        try {
            store.syncTargets(enabled);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record delivery targets", e);
        }
        return new DeliveryService(workers, store, new DeadLetters(new JdbcTemplate(dataSource)), audit, clock,
                props.statsInterval(), meters);
    }

    /** Reads the durable pause state and starts refreshing the figures. */
    public void start() {
        refresh();
        long ms = Math.max(100, statsInterval.toMillis());
        scheduler.scheduleWithFixedDelay(this::refresh, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Without Camel (tests, tools): polls every target every {@code linger} on this service's own threads. The hub
     * uses the {@code delivery-<target>} routes instead.
     */
    public synchronized void startPolling() {
        polling = Executors.newScheduledThreadPool(Math.max(1, workers.size()), r -> {
            Thread t = new Thread(r, "delivery-poll");
            t.setDaemon(true);
            return t;
        });
        for (TargetWorker w : workers.values()) {
            long ms = Math.max(1, w.config().linger().toMillis());
            polling.scheduleWithFixedDelay(() -> drain(w.id(), () -> running), 0, ms, TimeUnit.MILLISECONDS);
        }
    }

    public void routeControl(RouteControl control) {
        this.routes = control;
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
                DeliveryStore.Figures f = store.figures(w.id());
                figures.put(w.id(), f);
                drainEstimates.get(w.id()).sample(System.nanoTime(), w.deliveredCount(), f.backlog());
                synchronized (w) { // a pause/resume of this instance is not half-written when the row is read
                    DeliveryStore.TargetRow row = store.target(w.id());
                    if (row.paused() && !w.paused()) {
                        w.pauseLocally(row.pausedReason());
                        routes.suspend(w.id());
                    } else if (!row.paused() && w.paused()) {
                        w.resumeLocally();
                        routes.resume(w.id());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("Delivery target {}: cannot refresh figures ({})", w.id(), describe(e));
            }
        }
    }

    public DeliveryStore.Figures figures(String target) {
        worker(target);
        return figures.get(target);
    }

    public long lagSeconds(String target) {
        Instant oldest = figures.get(target).oldestPending();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toSeconds());
    }

    public long drainEtaSeconds(String target) {
        return drainEstimates.get(target).etaSeconds();
    }

    /** Closes the target's breaker and drops any back-off, so the next poll sends at once; audited. */
    public void probeNow(String target, String actor) {
        worker(target).resetBreaker();
        audit.record(actor, "delivery.probe-now", Map.of("target", target));
        log.info("Delivery target {}: breaker reset by {}; sending at the next poll", target, actor);
    }

    public List<Status> status() {
        return workers.values().stream().map(this::status).toList();
    }

    public Status status(String target) {
        return status(worker(target));
    }

    private Status status(TargetWorker w) {
        DeliveryStore.Figures f = figures.get(w.id());
        long lag = lagSeconds(w.id());
        String problem = null;
        String paused = w.pausedReason();
        if (paused != null && paused.startsWith("auth:")) {
            problem = paused;
        } else if (w.tlsProblem() != null) {
            problem = w.tlsProblem();
        } else if (lag > w.config().lagThreshold().toSeconds()) {
            problem = "lag " + lag + " s exceeds " + w.config().lagThreshold().toSeconds() + " s";
        } else if (w.breakerState() == CircuitBreaker.State.OPEN) {
            // a target that is failing right now degrades the picture at once, not only once the lag has grown
            problem = "breaker open: the target is failing" + (w.lastError() == null ? "" : " (" + w.lastError() + ")");
        }
        return new Status(w.id(), w.config().typeFor(w.id()), w.config().url() == null ? null : TargetUrls.redact(w.config().url()),
                paused != null, paused, w.breakerState().name(), f.backlog(), lag, f.deadLetters(), problem == null, problem,
                w.lastError() == null ? null : w.lastError().toString(), drainEtaSeconds(w.id()));
    }

    /** Pauses a target on every instance (durable) and suspends its route here; audited. Idempotent. */
    public void pause(String target, String reason) {
        TargetWorker w = worker(target);
        synchronized (w) {
            pauseSynchronized(w, target, reason);
        }
    }

    private void pauseSynchronized(TargetWorker w, String target, String reason) {
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

    public void resume(String target, String why) {
        TargetWorker w = worker(target);
        synchronized (w) {
            resumeSynchronized(w, target, why);
        }
    }

    private void resumeSynchronized(TargetWorker w, String target, String why) {
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

    private boolean pausedInDatabase(String target) {
        try {
            return store.target(target).paused();
        } catch (SQLException e) {
            log.warn("Delivery target {}: cannot read its pause state ({})", target, describe(e));
            return false;
        }
    }

    public List<DeadLetter> deadLetters(DeadLetters.Filter filter, int limit) {
        worker(filter.target());
        return deadLetters.list(filter, limit);
    }

    /** Re-queues the dead letters matching the filter; audited with who, filter, reason and count. */
    public Replay replayDeadLetters(DeadLetters.Filter filter, String why) {
        worker(filter.target());
        Replay r = replays.deadLetters(filter, why);
        refreshQuietly();
        return r;
    }

    /** Re-sends every read captured in [from, to) to the target (e.g. after NAS reports data loss); audited. */
    public Replay resend(String target, Instant from, Instant to, String cameraId, String why) {
        worker(target);
        Replay r = replays.range(target, from, to, cameraId, why);
        refreshQuietly();
        return r;
    }

    private void refreshQuietly() {
        scheduler.execute(this::refresh);
    }

    private static String actor() {
        var who = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
        return who == null ? "system" : who.getName();
    }

    @Override
    public void close() {
        running = false;
        scheduler.shutdownNow();
        if (polling != null) {
            polling.shutdownNow();
            try {
                polling.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.values().forEach(TargetWorker::close);
    }

    /** A target id this instance does not deliver to. */
    public static final class UnknownTargetException extends IllegalArgumentException {
        UnknownTargetException(String target, java.util.Set<String> known) {
            super("unknown or disabled delivery target '" + target + "'; enabled: " + known);
        }
    }

    /** The error's class and SQLState, never its text (a database error can quote row values). */
    private static String describe(Exception e) {
        return e instanceof SQLException sql ? "SQLState " + sql.getSQLState() : e.getClass().getSimpleName();
    }
}
