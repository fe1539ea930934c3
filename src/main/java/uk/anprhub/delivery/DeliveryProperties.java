package uk.anprhub.delivery;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every {@code anpr.delivery.*} setting, with its default (docs/delivery.md lists them). Target {@code nas} is always
 * present (enabled unless {@code anpr.delivery.targets.nas.enabled=false}); further targets are configured by id.
 *
 * @param enabled       run the delivery workers of this instance (reads are queued either way)
 * @param statsInterval how often backlog, lag and dead-letter gauges are recomputed and pause state re-read
 * @param targets       by target id ({@code nas} always, others as configured): type, enabled, url, batch size,
 *                      workers, rate, breaker, retries, TLS; see {@link Target} and docs/delivery.md
 */
@ConfigurationProperties("anpr.delivery")
public record DeliveryProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5s") Duration statsInterval,
                                 Map<String, Target> targets) {

    public DeliveryProperties {
        Map<String, Target> all = new LinkedHashMap<>();
        all.put("nas", targets != null && targets.containsKey("nas") ? targets.get("nas") : Target.defaults());
        if (targets != null) {
            targets.forEach(all::putIfAbsent);
        }
        targets = Map.copyOf(all);
    }

    /** Binds {@code anpr.delivery.*} from plain properties (tests, tools), exactly as Spring does. */
    public static DeliveryProperties bind(Map<String, ?> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("anpr.delivery", DeliveryProperties.class);
    }

    /**
     * One delivery target.
     *
     * @param type           wire adapter: {@code nas} (JSON batches) or {@code bof2} (SOAP sendCapture per read);
     *                       default: the target's id
     * @param enabled        default: true for {@code nas}, false for any other
     * @param url            nas: the capture API base URL (default {@code ANPR_NAS_URL}), {@code /captures} is appended;
     *                       bof2: the InputCaptureWebService endpoint
     * @param batchSize      most reads per claim (and per NAS request)
     * @param linger         how long a partial batch may wait for more reads (the poll period)
     * @param workers        concurrent batches per instance
     * @param maxRate        most reads per second this instance sends to the target (caps catch-up after an outage
     *                       so the target is not overwhelmed); 0 = no cap
     * @param lease          a claimed batch is re-offered after this if its worker vanished (a crash): the longest a
     *                       crash delays the re-send of what was in flight. Default: sized to the request timeout —
     *                       twice {@code http.request-timeout} for a batch target (nas: 60 s with the default 30 s),
     *                       for a per-read target (bof2) once per round of {@code http.concurrency} sends plus one.
     *                       Shorter than that and a slow batch may be sent twice
     * @param lagThreshold   health is DOWN while the oldest undelivered read is older
     * @param maxBatchBytes  most bytes per claim (and per NAS request), pictures counted as their base64 (estimated
     *                       at claim time from the stored sizes, without loading them); a read larger than this goes
     *                       alone. Bounds what one request carries and what a lost answer re-sends
     */
    public record Target(String type, Boolean enabled, URI url,
                         @DefaultValue("500") int batchSize, @DefaultValue("200ms") Duration linger,
                         @DefaultValue("4") int workers, @DefaultValue("10000") int maxRate, Duration lease,
                         @DefaultValue("15m") Duration lagThreshold,
                         @DefaultValue Retry retry, @DefaultValue Breaker breaker, @DefaultValue Http http,
                         @DefaultValue Bof2 bof2, @DefaultValue("8MB") DataSize maxBatchBytes) {

        public static Target defaults() {
            return new Binder(new MapConfigurationPropertySource()).bindOrCreate("target", Target.class);
        }

        public String typeFor(String id) {
            return type != null ? type : id;
        }

        public boolean enabledFor(String id) {
            return enabled != null ? enabled : "nas".equals(id);
        }

        /** The claim lease: {@code lease} when set, else {@link #defaultLease}. */
        public Duration leaseFor(String id) {
            return lease != null ? lease : defaultLease(id);
        }

        /** The timeout of a full batch for each round of sends it needs, and the request timeout again for building and recording it. */
        public Duration defaultLease(String id) {
            int rounds = "bof2".equals(typeFor(id)) ? (batchSize + Math.max(1, http.concurrency()) - 1) / Math.max(1, http.concurrency()) : 1;
            // a full batch (by bytes) may take its scaled timeout per round; the request timeout again covers the rest
            return HttpClients.timeout(http, maxBatchBytes == null ? 0 : maxBatchBytes.toBytes()).multipliedBy(rounds)
                    .plus(http.requestTimeout());
        }
    }

    /** Back-off of a record whose send failed transiently: initial × 2^(attempt-1), at most max, with jitter. */
    public record Retry(@DefaultValue("1s") Duration initial, @DefaultValue("60s") Duration max) {
    }

    /**
     * Circuit breaker per target: opens when half the last {@code window} calls failed (at least
     * {@code minimumCalls}); while open only a probe of {@code probeSize} reads is sent, after {@code openWait}
     * growing exponentially (with jitter) up to {@code maxOpenWait}.
     */
    public record Breaker(@DefaultValue("10") int window, @DefaultValue("4") int minimumCalls,
                          @DefaultValue("5s") Duration openWait, @DefaultValue("2m") Duration maxOpenWait,
                          @DefaultValue("10") int probeSize) {
    }

    /**
     * The HTTP client of a target.
     *
     * @param proxy       {@code host:port} of an HTTP proxy (HTTPS goes through CONNECT)
     * @param sslBundle   name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.jks.<name>.*} or
     *                    {@code spring.ssl.bundle.pem.<name>.*}): its key store holds the client certificate for
     *                    mutual TLS, its trust store the anchors for the target's server certificate. The preferred
     *                    way; not together with {@code keyStore}/{@code trustStore}
     * @param keyStore    PKCS12 (or {@code keyStoreType}) file holding the client certificate for mutual TLS
     * @param trustStore  trust anchors for the target's server certificate (default: the JDK's)
     * @param headers     extra request headers (e.g. an API key)
     * @param concurrency requests in flight per batch for per-read targets (bof2)
     * @param minBytesPerSecond the slowest upload rate the request timeout allows for: a request may take
     *                    {@code requestTimeout + body bytes / minBytesPerSecond} (8 MB at 512KB/s: 30 s + 16 s);
     *                    0 = the bare {@code requestTimeout} whatever the size
     */
    public record Http(@DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration requestTimeout,
                       String proxy, String sslBundle, Path keyStore, String keyStorePassword, @DefaultValue("PKCS12") String keyStoreType,
                       Path trustStore, String trustStorePassword, @DefaultValue("PKCS12") String trustStoreType,
                       Map<String, String> headers, @DefaultValue("8") int concurrency,
                       @DefaultValue("512KB") DataSize minBytesPerSecond) {

        public Http {
            headers = headers == null ? Map.of() : headers;
        }
    }

    /** The BOF2 sendCapture credentials parameters (signature, user) sent with every capture. */
    public record Bof2(@DefaultValue("") String signature, @DefaultValue("anpr-hub") String user) {
    }
}
