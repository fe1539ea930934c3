package uk.anprhub.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import uk.anprhub.message.Reason;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The ingest meters in one place: names, help texts, and the label series known at start registered at zero, so a
 * dashboard or an alert sees a feed before its first read ({@code rate()} of a series that appears mid-way misses
 * the first increase).
 */
public final class IngestMetrics {

    /** Reasons a read or message is quarantined for (docs/connector-contract.md); other reasons appear when first used. */
    public static final List<String> KNOWN_REASONS = Stream.of(Reason.UNKNOWN_CAMERA, Reason.UNDECODABLE,
            Reason.MAPPING_FAILED, Reason.MALFORMED_FIELD, Reason.MISSING_VRM, Reason.INVALID_VRM,
            Reason.MISSING_CAPTURE_TIME, Reason.INVALID_CAPTURE_TIME, Reason.FUTURE_CAPTURE_TIME,
            Reason.EXPIRED_CAPTURE_TIME, Reason.UNSUPPORTED_CONTENT_TYPE, Reason.TOO_LARGE, Reason.TOO_MANY_READS,
            Reason.INTERNAL_ERROR).map(Reason::code).toList();
    /** Transports of the ack-latency timer; any other transport name is counted as {@code other}. */
    public static final List<String> TRANSPORTS = List.of("http", "tcp", "ftp", "kafka", "mqtt");

    private static final Map<String, String> HELP = Map.of(
            "anpr_reads_received", "Reads decoded from camera messages, by feed",
            "anpr_reads_stored", "Reads committed to the local store, by feed",
            "anpr_reads_duplicate", "Reads recognised as already stored (same idempotency key), by feed",
            "anpr_reads_quarantined", "Reads or messages held back as invalid, by feed and reason");

    private IngestMetrics() {
    }

    public static Counter counter(MeterRegistry meters, String name, String feed, String reason) {
        Counter.Builder b = Counter.builder(name).description(HELP.getOrDefault(name, name)).tag("feed", feed);
        if (reason != null) {
            b.tag("reason", reason);
        }
        return b.register(meters);
    }

    /** Time from handing reads to the store's group commit to the commit (or its failure). */
    public static Timer commitTimer(MeterRegistry meters) {
        return Timer.builder("anpr_store_commit").description("Time from submitting a message's reads to their commit in the local store")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(60)).register(meters);
    }

    /** Time from a message's arrival to the answer its transport acknowledges (commit or quarantine). */
    public static Timer ackTimer(MeterRegistry meters, String transport) {
        String t = transport == null ? "other" : transport.toLowerCase(Locale.ROOT);
        return Timer.builder("anpr_ingest_ack").description("Time from a message's arrival to the result its transport acknowledges, by transport")
                .tag("transport", TRANSPORTS.contains(t) ? t : "other")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(60)).register(meters);
    }

    /** Registers every series known at start at zero: the feeds' counters, the known reasons, the timers. */
    public static void registerKnown(MeterRegistry meters, Collection<String> feeds) {
        for (String feed : feeds) {
            counter(meters, "anpr_reads_received", feed, null);
            counter(meters, "anpr_reads_stored", feed, null);
            counter(meters, "anpr_reads_duplicate", feed, null);
            KNOWN_REASONS.forEach(reason -> counter(meters, "anpr_reads_quarantined", feed, reason));
        }
        commitTimer(meters);
        TRANSPORTS.forEach(t -> ackTimer(meters, t));
    }
}
