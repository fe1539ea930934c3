package uk.anprhub.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/** A target's counters and request timer (the gauges are {@link TargetFigures}' and {@link TargetBreaker}'s). */
final class TargetMeters {

    private final String id;
    private final MeterRegistry meters;
    private final Counter delivered;
    private final Counter deadLettered;
    private final Timer requests;

    TargetMeters(String id, MeterRegistry meters) {
        this.id = id;
        this.meters = meters;
        this.delivered = Counter.builder("anpr_reads_delivered").description("reads acknowledged by a delivery target")
                .tag("target", id).register(meters);
        this.deadLettered = Counter.builder("anpr_delivery_dead_lettered").description("reads moved to the dead-letter store")
                .tag("target", id).register(meters);
        this.requests = Timer.builder("anpr_delivery_request").description("time of one batch send to the target")
                .tag("target", id).publishPercentileHistogram().register(meters);
    }

    void request(long nanos) {
        requests.record(nanos, TimeUnit.NANOSECONDS);
    }

    void recorded(Verdicts v) {
        delivered.increment(v.delivered().size());
        deadLettered.increment(v.dead().size());
    }

    /** A failed send or worker, by kind (transient, unanswered, tls, auth, batch-rejected, worker-error). */
    void failure(String kind) {
        meters.counter("anpr_delivery_send_failures", "target", id, "kind", kind).increment();
    }

    long deliveredCount() {
        return (long) delivered.count();
    }
}
