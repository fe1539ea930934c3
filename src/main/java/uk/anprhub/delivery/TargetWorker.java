package uk.anprhub.delivery;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Delivers one target's backlog: {@code workers} loops each claim a batch, send it through the wire adapter behind
 * the target's circuit breaker, and record the outcome. While the breaker is open no row is even claimed; in
 * half-open one small probe batch goes. Transient failures re-queue with exponential back-off + jitter (at least
 * Retry-After); only records the target refuses individually become dead letters; a batch refused as a whole is
 * bisected; 401/403 pause the target.
 */
public final class TargetWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TargetWorker.class);

    private final String id;
    private final DeliveryProperties.Target cfg;
    private final WireAdapter adapter;
    private final DeliveryStore store;
    private final CircuitBreaker breaker;
    private final ExecutorService pool;
    private final Counter delivered;
    private final Counter deadLettered;
    private final MeterRegistry meters;
    private final Pacer pacer;
    private volatile Consumer<String> onAuthFailure;
    private volatile String pausedReason;
    private volatile String tlsProblem;

    public TargetWorker(String id, DeliveryProperties.Target cfg, WireAdapter adapter, DeliveryStore store, MeterRegistry meters) {
        this.id = id;
        this.cfg = cfg;
        this.adapter = adapter;
        this.store = store;
        this.meters = meters;
        this.breaker = CircuitBreaker.of("delivery-" + id, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cfg.breaker().window()).minimumNumberOfCalls(cfg.breaker().minimumCalls())
                .failureRateThreshold(50).permittedNumberOfCallsInHalfOpenState(1)
                .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialRandomBackoff(cfg.breaker().openWait(), 2.0, 0.3,
                        cfg.breaker().maxOpenWait()))
                .writableStackTraceEnabled(false).build());
        breaker.getEventPublisher().onStateTransition(e -> {
            // An outage logs once when it starts and once when it ends, not at every probe.
            switch (e.getStateTransition().getToState()) {
                case OPEN -> {
                    if (e.getStateTransition().getFromState() == CircuitBreaker.State.CLOSED) {
                        log.warn("Delivery target {}: circuit breaker open — target failing, probing now and then", id);
                    }
                }
                case CLOSED -> log.info("Delivery target {}: circuit breaker closed — target answering again", id);
                default -> log.debug("Delivery target {}: circuit breaker {}", id, e.getStateTransition());
            }
        });
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, cfg.workers()), r -> {
            Thread t = new Thread(r, "delivery-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.delivered = Counter.builder("anpr_reads_delivered").description("reads acknowledged by a delivery target")
                .tag("target", id).register(meters);
        this.deadLettered = Counter.builder("anpr_delivery_dead_lettered").description("reads moved to the dead-letter store")
                .tag("target", id).register(meters);
        this.onAuthFailure = this::pauseLocally;
        this.pacer = new Pacer(cfg.maxRate());
        Duration fullBatch = HttpClients.timeout(cfg.http(), cfg.maxBatchBytes().toBytes()); // the longest a send may take
        if (cfg.lease().compareTo(fullBatch.multipliedBy(2)) < 0) {
            log.warn("Delivery target {}: lease {} is under twice the request timeout {}: a slow batch may be sent twice",
                    id, cfg.lease(), fullBatch);
        }
    }

    public String id() {
        return id;
    }

    public DeliveryProperties.Target config() {
        return cfg;
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /** Who pauses the target when it answers 401/403 (the service: durable, all instances, route suspended). */
    void onAuthFailure(Consumer<String> action) {
        this.onAuthFailure = action;
    }

    public String pausedReason() {
        return pausedReason;
    }

    public boolean paused() {
        return pausedReason != null;
    }

    /** Why the last send failed in the TLS handshake ({@code tls: ...}); null once a send got past it. */
    public String tlsProblem() {
        return tlsProblem;
    }

    void pauseLocally(String reason) {
        pausedReason = reason == null ? "paused" : reason;
    }

    void resumeLocally() {
        pausedReason = null;
    }

    /**
     * Works through the eligible backlog with {@code workers} concurrent loops and returns when it is empty, the
     * breaker stops calls, the target is paused, or {@code keepGoing} turns false (route suspending, shutdown).
     */
    public void drain(BooleanSupplier keepGoing) {
        if (paused()) {
            return;
        }
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < Math.max(1, cfg.workers()); i++) {
            loops.add(pool.submit(() -> loop(keepGoing)));
        }
        for (Future<?> f : loops) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                log.error("Delivery target {}: worker failed", id, e.getCause());
            }
        }
    }

    private void loop(BooleanSupplier keepGoing) {
        while (keepGoing.getAsBoolean() && !paused()) {
            if (!breaker.tryAcquirePermission()) {
                return; // open: the next poll after the breaker's wait sends the probe
            }
            boolean probe = breaker.getState() == CircuitBreaker.State.HALF_OPEN;
            int size = probe ? Math.min(cfg.breaker().probeSize(), cfg.batchSize()) : cfg.batchSize();
            DeliveryStore.Claim claim;
            try {
                claim = store.claim(id, size, cfg.maxBatchBytes().toBytes(), cfg.lease());
            } catch (SQLException e) {
                breaker.releasePermission();
                log.warn("Delivery target {}: cannot claim reads (SQLState {})", id, e.getSQLState()); // never the text: it may quote row values
                return;
            }
            List<Claimed> batch = claim.reads();
            if (batch.isEmpty()) {
                breaker.releasePermission();
                return;
            }
            try {
                deliver(batch);
            } catch (InterruptedException e) {
                release(batch); // shutting down: offer the batch again now rather than after the lease
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                log.error("Delivery target {}: batch of {} not recorded; it is re-offered after the lease ({})", id,
                        batch.size(), cfg.lease(), e);
                return;
            }
            if (probe || !claim.full()) {
                return; // a partial batch: wait for the next poll (linger) rather than spin on a trickle
            }
        }
    }

    private void deliver(List<Claimed> claimed) throws InterruptedException, SQLException {
        List<Claimed> gone = claimed.stream().filter(c -> c.body() == null).toList();
        if (!gone.isEmpty()) {
            store.forget(id, gone); // retention deleted the read between queueing and claiming
        }
        List<Claimed> batch = gone.isEmpty() ? claimed : claimed.stream().filter(c -> c.body() != null).toList();
        Verdicts v = new Verdicts(cfg.retry());
        if (batch.isEmpty()) {
            breaker.releasePermission();
            return;
        }
        long start = System.nanoTime();
        Outcome outcome;
        try {
            pacer.pace(batch.size());
            start = System.nanoTime();
            outcome = adapter.send(batch);
        } catch (InterruptedException | RuntimeException e) {
            breaker.releasePermission(); // no verdict: the lease brings the batch back
            throw e;
        }
        long took = System.nanoTime() - start;
        tls(outcome);
        if (outcome instanceof Outcome.Transient t) {
            breaker.onError(took, TimeUnit.NANOSECONDS, new TransientFailure(t.reason()));
            if (t.retryAfter() != null && t.retryAfter().compareTo(Duration.ZERO) > 0) {
                breaker.transitionToOpenStateUntil(Instant.now().plus(t.retryAfter())); // the target said when
            }
            failure(t.reason().startsWith("tls:") ? "tls" : t.unanswered() ? "unanswered" : "transient");
            log.debug("Delivery target {}: batch of {} failed transiently: {}", id, batch.size(), t.reason());
            batch.forEach(c -> v.retry(c, t.reason(), t.retryAfter()));
        } else if (outcome instanceof Outcome.AuthFailed a) {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS); // reachable; the fault is ours
            failure("auth");
            batch.forEach(c -> v.release(c, a.reason()));
            authFailed(a.reason());
        } else if (outcome instanceof Outcome.BatchRejected r) {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            failure("batch-rejected");
            bisect(batch, r, v, System.nanoTime() + cfg.lease().toNanos() / 2);
        } else if (outcome instanceof Outcome.Results r) {
            if (r.results().stream().allMatch(x -> x.verdict() == Outcome.Verdict.RETRY)) {
                breaker.onError(took, TimeUnit.NANOSECONDS, new TransientFailure("no record answered"));
            } else {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            }
            v.add(batch, r);
        }
        store.complete(id, v.delivered(), v.retries(), v.dead());
        delivered.increment(v.delivered().size());
        deadLettered.increment(v.dead().size());
        if (!v.dead().isEmpty()) {
            log.info("Delivery target {}: {} read(s) dead-lettered (first reason: {})", id, v.dead().size(), v.dead().get(0).reason());
        }
    }

    /** Halves a refused batch until each refused part is one record: the poison; the rest is delivered. */
    private void bisect(List<Claimed> batch, Outcome.BatchRejected why, Verdicts v, long deadline) throws InterruptedException {
        if (batch.size() == 1) {
            v.dead(batch.get(0), why.reason(), why.response());
            return;
        }
        int mid = batch.size() / 2;
        for (List<Claimed> half : List.of(batch.subList(0, mid), batch.subList(mid, batch.size()))) {
            if (paused()) {
                half.forEach(c -> v.release(c, "paused"));
                continue;
            }
            if (System.nanoTime() > deadline) { // never outlive the lease: another worker would send these again
                half.forEach(c -> v.retry(c, "bisection out of time", null));
                continue;
            }
            Outcome o = adapter.send(half);
            if (o instanceof Outcome.Results r) {
                v.add(half, r);
            } else if (o instanceof Outcome.BatchRejected r) {
                bisect(half, r, v, deadline);
            } else if (o instanceof Outcome.Transient t) {
                failure(t.unanswered() ? "unanswered" : "transient");
                half.forEach(c -> v.retry(c, t.reason(), t.retryAfter()));
            } else if (o instanceof Outcome.AuthFailed a) {
                half.forEach(c -> v.release(c, a.reason()));
                authFailed(a.reason());
            }
        }
    }

    private void release(List<Claimed> batch) {
        try {
            store.complete(id, List.of(), batch.stream().map(c -> new DeliveryStore.Retry(c, Duration.ZERO, "shutdown")).toList(), List.of());
        } catch (SQLException | RuntimeException e) {
            log.debug("Delivery target {}: could not release {} claimed read(s); they return after the lease", id, batch.size());
        }
    }

    /**
     * A refused or untrusted certificate is configuration, not an outage: it is retried like one (nothing is lost,
     * delivery resumes by itself once the certificates are right), but shown at once in health and logged once per
     * reason, where an outage only logs when the breaker opens.
     */
    private void tls(Outcome outcome) {
        if (outcome instanceof Outcome.Transient t && t.reason().startsWith("tls:")) {
            if (!t.reason().equals(tlsProblem)) {
                log.warn("Delivery target {}: TLS handshake failed ({}) — reads stay queued; check the target's "
                        + "http.ssl-bundle (client certificate, trust store) and what the target accepts", id, t.reason());
            }
            tlsProblem = t.reason();
        } else if (!(outcome instanceof Outcome.Transient) && tlsProblem != null) {
            log.info("Delivery target {}: TLS handshake succeeds again", id);
            tlsProblem = null;
        } // a plain outage says nothing about the certificates: keep what we knew
    }

    private void authFailed(String reason) {
        if (!paused()) {
            log.error("Delivery target {}: {} — target paused until an operator resumes it", id, reason);
            onAuthFailure.accept("auth: " + reason);
        }
    }

    private void failure(String kind) {
        meters.counter("anpr_delivery_send_failures", "target", id, "kind", kind).increment();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Marks a transient failure for the breaker (no stack trace: it is not a bug). */
    static final class TransientFailure extends RuntimeException {
        TransientFailure(String message) {
            super(message, null, false, false);
        }
    }
}
