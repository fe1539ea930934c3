package uk.anprhub.delivery;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A target's circuit breaker: opens on half the calls failing, probes with one call at growing, jittered waits, and
 * logs an outage once when it starts and once when it ends. A call's permission is a {@link Permit}, reported exactly
 * once whatever happens.
 */
final class TargetBreaker {

    private static final Logger log = LoggerFactory.getLogger(TargetWorker.class); // the target's story, in one logger

    private final CircuitBreaker breaker;

    /** @param lastError what the last failure was, for the log line when the breaker opens */
    TargetBreaker(String id, DeliveryProperties.Breaker cfg, Duration lease, String url, Supplier<Object> lastError,
                  MeterRegistry meters) {
        this.breaker = CircuitBreaker.of("delivery-" + id, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cfg.window()).minimumNumberOfCalls(cfg.minimumCalls())
                .failureRateThreshold(50).permittedNumberOfCallsInHalfOpenState(1)
                .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialRandomBackoff(cfg.openWait(), 2.0, 0.3,
                        cfg.maxOpenWait()))
                // a probe that never reports back (a thread lost to an Error) must not hold the breaker for ever
                .maxWaitDurationInHalfOpenState(lease)
                .writableStackTraceEnabled(false).build());
        breaker.getEventPublisher().onStateTransition(e -> {
            // An outage logs once when it starts and once when it ends, not at every probe.
            switch (e.getStateTransition().getToState()) {
                case OPEN -> {
                    if (e.getStateTransition().getFromState() == CircuitBreaker.State.CLOSED) {
                        log.warn("Delivery target {} ({}): circuit breaker open — target failing ({}), probing now and then",
                                id, url, lastError.get());
                    }
                }
                case CLOSED -> log.info("Delivery target {}: circuit breaker closed — target answering again", id);
                default -> log.debug("Delivery target {}: circuit breaker {}", id, e.getStateTransition());
            }
        });
        Gauge.builder("anpr_delivery_breaker_open", breaker, b -> b.getState() == CircuitBreaker.State.CLOSED
                        || b.getState() == CircuitBreaker.State.DISABLED ? 0 : 1)
                .description("1 while the target's circuit breaker is not closed (open or probing)").tag("target", id)
                .register(meters);
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }

    boolean halfOpen() {
        return breaker.getState() == CircuitBreaker.State.HALF_OPEN;
    }

    /** A permission to call, or null while the breaker is open. */
    Permit tryAcquire() {
        return breaker.tryAcquirePermission() ? new Permit(breaker) : null;
    }

    /** The target said when to come back (Retry-After): no call before then. */
    void openUntil(Instant until) {
        breaker.transitionToOpenStateUntil(until);
    }

    void reset() {
        breaker.reset();
    }

    /**
     * One breaker permission: reported exactly once — as a success, an error, or (when nothing was sent, or a throw
     * came first) given back — so no path, not even an {@code Error}, can keep it and hold the breaker half-open.
     */
    static final class Permit {
        private final CircuitBreaker breaker;
        private final AtomicBoolean used = new AtomicBoolean();

        private Permit(CircuitBreaker breaker) {
            this.breaker = breaker;
        }

        void success(long nanos) {
            if (used.compareAndSet(false, true)) {
                breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            }
        }

        void error(long nanos, Throwable e) {
            if (used.compareAndSet(false, true)) {
                breaker.onError(nanos, TimeUnit.NANOSECONDS, e);
            }
        }

        void release() {
            if (used.compareAndSet(false, true)) {
                breaker.releasePermission();
            }
        }
    }
}
