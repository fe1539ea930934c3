package uk.anprhub.delivery;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

// Over 300 lines on purpose: claim, send, classify and bisect share one breaker permit and one re-queue per batch (breaker, meters, recording are split out).
/**
 * Over 300 lines on purpose: the claim-send-record loop and its failure paths (breaker permit, bisect, auth pause)
 * must be read together to see that a worker survives anything; the parts with their own job are already out
 * ({@link TargetBreaker}, {@link BatchRecorder}, {@link Verdicts}, {@link FailureLog}).
 * <p>
 * Delivers one target's backlog: {@code workers} loops each claim a batch, send it through the wire adapter behind
 * the target's circuit breaker ({@link TargetBreaker}), and record the outcome ({@link BatchRecorder}). While the
 * breaker is open no row is even claimed; in half-open one small probe batch goes. Transient failures re-queue with
 * exponential back-off + jitter (at least Retry-After); only records the target refuses individually become dead
 * letters; a batch refused as a whole is bisected; 401/403 pause the target.
 * <p>
 * A worker survives anything: every breaker permission is given back or reported whatever is thrown (an
 * {@code Error} included), a half-open probe that never reports back times out after the lease, and a loop that
 * meets an unexpected {@code Throwable} logs it (class and place, never content), re-queues its batch, backs off and
 * carries on at the next poll.
 */
public final class TargetWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TargetWorker.class);

    private final String id;
    private final DeliveryProperties.Target cfg;
    private final WireAdapter adapter;
    private final DeliveryStore store;
    private final BatchRecorder recorder;
    private final TargetBreaker breaker;
    private final TargetMeters meters;
    private final ExecutorService pool;
    private final Pacer pacer;
    private final Duration lease;
    private final InFlightWindow window;
    private final FailureLog failures;
    private volatile Consumer<String> onAuthFailure;
    private volatile long backOffUntilNanos;
    private volatile int workerErrors;
    private volatile String pausedReason;
    private volatile String tlsProblem;

    public TargetWorker(String id, DeliveryProperties.Target cfg, WireAdapter adapter, DeliveryStore store, MeterRegistry meters) {
        this(id, cfg, cfg.url(), adapter, store, meters);
    }

    /** @param url where the adapter sends (for logs and status: shown without credentials or query) */
    public TargetWorker(String id, DeliveryProperties.Target cfg, URI url, WireAdapter adapter, DeliveryStore store,
                        MeterRegistry meters) {
        this.id = id;
        this.cfg = cfg;
        this.adapter = adapter;
        this.store = store;
        this.lease = cfg.leaseFor(id);
        this.recorder = new BatchRecorder(id, store, lease);
        this.failures = new FailureLog(id, url == null ? "(no url)" : TargetUrls.redact(url), Clock.systemUTC(),
                Duration.ofMinutes(1), Duration.ofMinutes(5));
        this.breaker = new TargetBreaker(id, cfg.breaker(), lease, failures.url(), failures::lastError, meters);
        this.meters = new TargetMeters(id, meters);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, cfg.workers()), r -> {
            Thread t = new Thread(r, "delivery-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.onAuthFailure = this::pauseLocally;
        this.pacer = new Pacer(cfg.maxRate());
        this.window = new InFlightWindow(cfg.batchSize(), cfg.breaker().probeSize());
        if (lease.compareTo(cfg.defaultLease(id)) < 0) {
            log.warn("Delivery target {}: lease {} is under {} (the request timeout {} per round of sends, and as long again):"
                    + " a slow batch may be sent twice", id, lease, cfg.defaultLease(id), cfg.http().requestTimeout());
        }
    }

    public String id() {
        return id;
    }

    public DeliveryProperties.Target config() {
        return cfg;
    }

    public CircuitBreaker.State breakerState() {
        return breaker.state();
    }

    /** How long a claimed batch is held before another worker may send it (see {@link DeliveryProperties.Target#leaseFor}). */
    public Duration lease() {
        return lease;
    }

    /** The last failed send (status or error class) and when, or null. */
    public FailureLog.LastError lastError() {
        return failures.lastError();
    }

    /** Reads delivered by this instance since start. */
    long deliveredCount() {
        return meters.deliveredCount();
    }

    /** Closes the breaker and forgets any back-off: the next poll sends a full window at once. */
    void resetBreaker() {
        breaker.reset();
        window.reset();
        backOffUntilNanos = 0;
        workerErrors = 0;
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
        resetBreaker();
    }

    void resumeLocally() {
        pausedReason = null;
        resetBreaker(); // an operator resuming wants delivery now, not after the breaker's wait
    }

    /**
     * Works through the eligible backlog with {@code workers} concurrent loops and returns when it is empty, the
     * breaker stops calls, the target is paused, or {@code keepGoing} turns false (route suspending, shutdown).
     */
    public void drain(BooleanSupplier keepGoing) {
        if (paused() || backOffUntilNanos != 0 && System.nanoTime() - backOffUntilNanos < 0) {
            return;
        }
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < Math.max(1, cfg.workers()); i++) {
            boolean first = i == 0;
            loops.add(pool.submit(() -> loop(first, keepGoing)));
        }
        for (Future<?> f : loops) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                workerError(e.getCause()); // cannot happen (the loop catches everything): say so if it does
            }
        }
    }

    private void loop(boolean first, BooleanSupplier keepGoing) {
        try {
            while (keepGoing.getAsBoolean() && !paused() && (first || !window.narrowed()) && step()) {
                workerErrors = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down
        } catch (Throwable e) { // an Error included: the next poll after the back-off carries on
            workerError(e);
        }
    }

    /** Claims and sends one batch; false when the loop should wait for the next poll. */
    private boolean step() throws InterruptedException {
        int size = Math.min(window.batchSize(), cfg.batchSize());
        TargetBreaker.Permit permit = breaker.tryAcquire();
        if (permit == null) {
            return false; // open: the next poll after the breaker's wait sends the probe
        }
        List<Claimed> batch = List.of();
        DeliveryStore.Lease token = null; // the cursor batch's lease token (null: rows)
        boolean done = false;
        String requeue = "worker error";
        try {
            boolean probe = breaker.halfOpen();
            if (probe) {
                size = Math.min(cfg.breaker().probeSize(), size);
            }
            pacer.pace(size); // before the claim: the lease covers building, sending and recording only
            DeliveryStore.Claim claim;
            try {
                claim = store.claim(id, size, cfg.maxBatchBytes().toBytes(), lease);
                batch = claim.reads();
                token = claim.lease();
            } catch (SQLException e) {
                log.warn("Delivery target {}: cannot claim reads (SQLState {})", id, e.getSQLState()); // never the text: it may quote row values
                done = true;
                return false;
            }
            long deadline = System.nanoTime() + lease.toNanos();
            if (batch.isEmpty()) {
                done = true;
                return false;
            }
            try {
                deliver(batch, token, permit, deadline);
                done = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                requeue = "shutdown";
                return false; // shutting down: the finally offers the batch again now rather than after the lease
            } catch (SQLException e) {
                done = true; // sent, but the verdicts not recorded: re-offering it now would only duplicate it sooner
                log.error("Delivery target {}: batch of {} sent but not recorded (SQLState {}); it is re-offered after the lease ({})",
                        id, batch.size(), e.getSQLState(), lease);
                return false;
            }
            return !probe && claim.full(); // a partial batch: wait for the next poll (linger) rather than spin on a trickle
        } finally {
            permit.release(); // no verdict reached the breaker (nothing claimed, a throw): give the permission back
            if (!done && !batch.isEmpty()) {
                recorder.release(token, batch, requeue); // offered again at once, not after the lease
            }
        }
    }

    /** Logs a worker's unexpected throw (its class and where, never its text: it may quote content) and backs off. */
    private void workerError(Throwable e) {
        int n = ++workerErrors;
        Duration wait = Verdicts.backoff(cfg.retry(), n, null);
        backOffUntilNanos = System.nanoTime() + wait.toNanos();
        window.trouble();
        meters.failure("worker-error");
        failures.failed("worker error: " + e.getClass().getName());
        StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        log.error("Delivery target {}: worker failed with {} at {} ({} in a row); its batch is re-queued, delivery carries on in {} ms",
                id, e.getClass().getName(), at, n, wait.toMillis());
    }

    private void deliver(List<Claimed> claimed, DeliveryStore.Lease token, TargetBreaker.Permit permit, long deadline) throws InterruptedException, SQLException {
        List<Claimed> gone = claimed.stream().filter(c -> c.body() == null).toList();
        if (!gone.isEmpty()) {
            store.forget(id, gone); // retention deleted the read between queueing and claiming
        }
        List<Claimed> batch = gone.isEmpty() ? claimed : claimed.stream().filter(c -> c.body() != null).toList();
        Verdicts v = new Verdicts(cfg.retry());
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        SendResult result;
        try {
            result = adapter.send(batch);
        } catch (RuntimeException | Error e) {
            permit.error(System.nanoTime() - start, e); // counts as a failed call: a half-open breaker opens again
            throw e;
        } finally {
            meters.request(System.nanoTime() - start);
        }
        long took = System.nanoTime() - start;
        boolean slow = took > cfg.http().requestTimeout().toNanos() / 2;
        tls(result);
        if (result instanceof SendResult.Transient t) {
            permit.error(took, new TransientFailure(t.reason()));
            if (t.retryAfter() != null && t.retryAfter().compareTo(Duration.ZERO) > 0) {
                breaker.openUntil(Instant.now().plus(t.retryAfter())); // the target said when
            }
            meters.failure(t.reason().startsWith("tls:") ? "tls" : t.unanswered() ? "unanswered" : "transient");
            failures.failed(t.reason());
            if (t.unanswered() || slow) {
                window.trouble(); // the target may have taken it: what is in flight now is what a crash re-sends
            }
            log.debug("Delivery target {}: batch of {} failed transiently: {}", id, batch.size(), t.reason());
            batch.forEach(c -> v.retry(c, t.reason(), t.retryAfter()));
        } else if (result instanceof SendResult.AuthFailed a) {
            permit.success(took); // reachable; the fault is ours
            meters.failure("auth");
            failures.failed(a.reason());
            batch.forEach(c -> v.release(c, a.reason()));
            authFailed(a.reason());
        } else if (result instanceof SendResult.BatchRejected r) {
            permit.success(took);
            meters.failure("batch-rejected");
            bisect(batch, r, v, deadline - cfg.http().requestTimeout().toNanos());
        } else if (result instanceof SendResult.PerRecord r) {
            if (r.results().stream().allMatch(x -> x.status() == SendResult.RecordStatus.RETRY)) {
                permit.error(took, new TransientFailure("no record answered"));
                failures.failed("no record answered");
            } else {
                permit.success(took);
                failures.succeeded();
                if (slow) {
                    window.trouble(); // close to timing out: keep less in flight
                } else {
                    window.prompt();
                }
            }
            v.add(batch, r);
        }
        recorder.complete(token, v, deadline);
        meters.recorded(v);
        if (!v.dead().isEmpty()) {
            log.info("Delivery target {}: {} read(s) dead-lettered (first reason: {})", id, v.dead().size(), v.dead().get(0).reason());
        }
    }

    /** Halves a refused batch until each refused part is one record: the poison; the rest is delivered. */
    private void bisect(List<Claimed> batch, SendResult.BatchRejected why, Verdicts v, long deadline) throws InterruptedException {
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
            if (System.nanoTime() - deadline > 0) { // a send started now could outlive the lease: another worker would send these again
                half.forEach(c -> v.retry(c, "bisection out of time", null));
                continue;
            }
            SendResult o = adapter.send(half);
            if (o instanceof SendResult.PerRecord r) {
                v.add(half, r);
            } else if (o instanceof SendResult.BatchRejected r) {
                bisect(half, r, v, deadline);
            } else if (o instanceof SendResult.Transient t) {
                meters.failure(t.unanswered() ? "unanswered" : "transient");
                half.forEach(c -> v.retry(c, t.reason(), t.retryAfter()));
            } else if (o instanceof SendResult.AuthFailed a) {
                half.forEach(c -> v.release(c, a.reason()));
                authFailed(a.reason());
            }
        }
    }

    /**
     * A refused or untrusted certificate is configuration, not an outage: it is retried like one (nothing is lost,
     * delivery resumes by itself once the certificates are right), but shown at once in health and logged once per
     * reason, where an outage only logs when the breaker opens.
     */
    private void tls(SendResult result) {
        if (result instanceof SendResult.Transient t && t.reason().startsWith("tls:")) {
            if (!t.reason().equals(tlsProblem)) {
                log.warn("Delivery target {}: TLS handshake failed ({}) — reads stay queued; check the target's "
                        + "http.ssl-bundle (client certificate, trust store) and what the target accepts", id, t.reason());
            }
            tlsProblem = t.reason();
        } else if (!(result instanceof SendResult.Transient) && tlsProblem != null) {
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
