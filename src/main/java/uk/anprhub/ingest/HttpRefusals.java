package uk.anprhub.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code anpr_http_ingest_refused_total{reason}}: HTTP camera requests refused before their reads reached the store,
 * whichever door they came in by (Tomcat's ingest filter, the camera listener, the deadline before the store).
 */
public final class HttpRefusals {

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public HttpRefusals(MeterRegistry meters) {
        this.meters = meters;
        counters.put("deadline", counter("deadline")); // a known series, shown at 0 from the start
    }

    public void count(String reason) {
        counters.computeIfAbsent(reason, this::counter).increment();
    }

    private Counter counter(String reason) {
        return Counter.builder("anpr_http_ingest_refused")
                .description("HTTP camera requests refused before their body was read whole")
                .tag("reason", reason).register(meters);
    }
}
