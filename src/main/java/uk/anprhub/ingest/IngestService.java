package uk.anprhub.ingest;

import uk.anprhub.message.RawMessage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.ingest.IngestOutcome.Problem;
import uk.anprhub.ingest.IngestOutcome.Quarantined;
import uk.anprhub.ingest.IngestOutcome.Refusal;
import uk.anprhub.ingest.IngestOutcome.Refused;
import uk.anprhub.ingest.IngestOutcome.Unavailable;
import uk.anprhub.message.Reason;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.normalise.Normaliser.Normalised;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.VendorRead;
import uk.anprhub.store.QuarantineStore;
import uk.anprhub.store.ReadWriter;
import uk.anprhub.store.StoreBusyException;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The ingest core every transport calls: decode and map (connector), normalise and validate, then persist by
 * group commit. Invalid input is quarantined (committed) before the answer; valid reads are acknowledged only
 * after their transaction committed. Never throws for bad input; a store that cannot keep up yields 503.
 */
public final class IngestService {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final ConnectorCatalog connectors;
    private final Function<String, FeedSettings> feeds;
    private final Normaliser normaliser;
    private final ReadSink sink;
    private final QuarantineStore quarantine;
    private final MeterRegistry meters;
    private final Duration commitTimeout;
    private final IngestLimits limits;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> ackTimers = new ConcurrentHashMap<>();
    private final Timer commitTimer;
    private final QuarantineLog quarantineLog = new QuarantineLog(Duration.ofMinutes(1));

    /** @param sink where valid reads go: the store's group commit, or the Kafka spine on an edge hub */
    public IngestService(ConnectorCatalog connectors, Function<String, FeedSettings> feeds, Normaliser normaliser,
                         ReadSink sink, QuarantineStore quarantine, MeterRegistry meters, Duration commitTimeout,
                         IngestLimits limits) {
        this.limits = limits;
        this.connectors = connectors;
        this.feeds = feeds;
        this.normaliser = normaliser;
        this.sink = sink;
        this.quarantine = quarantine;
        this.meters = meters;
        this.commitTimer = IngestMetrics.commitTimer(meters);
        this.commitTimeout = commitTimeout;
    }

    /** The rate-limited log of quarantined input (a summary per reason per minute). */
    public QuarantineLog quarantineLog() {
        return quarantineLog;
    }

    /** The feed's settings, or null when no such feed exists (HTTP 404). */
    public FeedSettings feed(String feedId) {
        return feeds.apply(feedId);
    }

    public IngestOutcome ingest(RawMessage message) {
        return ingest(message, false);
    }

    /**
     * @param reprocessing true when re-running a quarantined message: failures are reported, not quarantined again
     */
    public IngestOutcome ingest(RawMessage message, boolean reprocessing) {
        IngestOutcome result = ingestOnce(message, reprocessing);
        if (!reprocessing && message.receivedAt() != null) { // the transport acknowledges (or refuses) on this result
            String transport = message.transport();
            ackTimers.computeIfAbsent(String.valueOf(transport), t -> IngestMetrics.ackTimer(meters, transport))
                    .record(Duration.between(message.receivedAt(), java.time.Instant.now()));
        }
        return result;
    }

    private IngestOutcome ingestOnce(RawMessage message, boolean reprocessing) {
        FeedSettings feed = feeds.apply(message.feed());
        if (feed == null || !feed.enabled()) {
            return unknownFeed(message);
        }
        Connector connector = connectors.find(feed.connector()).orElse(null);
        if (connector == null) {
            return new Unavailable("connector-unavailable", "connector '" + feed.connector()
                    + "' of feed '" + feed.id() + "' is not loaded (see the start-up log)", 60);
        }
        if (message.connector() == null) {
            message = message.withConnector(connector.id());
        }
        try {
            return process(message, feed, connector, reprocessing);
        } catch (StoreBusyException e) {
            return new Unavailable("busy", "the store is behind; retry shortly", 1);
        } catch (TimeoutException e) {
            return new Unavailable("store-timeout", "the store did not commit in time; retry (repeats are deduplicated)", 2);
        } catch (SQLException | org.springframework.dao.DataAccessException e) {
            // never the driver's message: PostgreSQL quotes the values it refused, i.e. plates
            log.warn("Feed {}: store unavailable ({}, SQLState {})", feed.id(), e.getClass().getSimpleName(), sqlState(e));
            return new Unavailable("store-unavailable", "the store is unavailable; retry later", 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unavailable("shutting-down", "the hub is stopping", 5);
        }
    }

    private IngestOutcome process(RawMessage message, FeedSettings feed, Connector connector, boolean reprocessing)
            throws SQLException, TimeoutException, InterruptedException {
        Refusals refusals = new Refusals(message, feed, reprocessing);
        Connector.Extracted extracted;
        try {
            extracted = connector.extract(message, limits.maxReadsPerMessage());
        } catch (RejectedException e) {
            Long id = refusals.add(e.why(), e.detail(), null);
            return Quarantined.whole(new Problem(null, e.why(), e.detail(), id));
        } catch (RuntimeException e) { // a defect or a case no check foresaw: still quarantined, never a 500 or a retry loop
            Long id = refusals.add(Reason.INTERNAL_ERROR, "decoding or mapping failed unexpectedly (" + e.getClass().getSimpleName() + ")", null);
            log.warn("Feed {}: message quarantined as internal-error (id {}): {} at {}", feed.id(), id,
                    e.getClass().getName(), e.getStackTrace().length == 0 ? "?" : e.getStackTrace()[0]);
            return Quarantined.whole(new Problem(null, Reason.INTERNAL_ERROR, "the message could not be processed", id));
        }
        List<VendorRead> reads = extracted.reads();
        count("anpr_reads_received", feed.id(), null, reads.size());
        List<Normalised> valid = new ArrayList<>(reads.size());
        for (int i = 0; i < reads.size(); i++) {
            Integer index = reads.size() > 1 ? i : null;
            try {
                Normalised n = normaliser.normalise(reads.get(i), connector.vendor(), connector.pictures().url(), message,
                        extracted.decoded().attachments(), feed.acceptUnknownCameras());
                if (!message.allowsCamera(n.read().cameraId())) { // the sender (an FTP account) is bound to other cameras
                    throw new RejectedException(Reason.CAMERA_NOT_ALLOWED, "this sender may not post reads for camera " + n.read().cameraId());
                }
                valid.add(n);
            } catch (RejectedException e) {
                refusals.read(index, e.why(), e.detail());
            } catch (RuntimeException e) {
                Long id = refusals.read(index, Reason.INTERNAL_ERROR, "normalisation failed unexpectedly (" + e.getClass().getSimpleName() + ")");
                log.warn("Feed {}: read {} quarantined as internal-error (id {}): {} at {}", feed.id(), index, id,
                        e.getClass().getName(), e.getStackTrace().length == 0 ? "?" : e.getStackTrace()[0]);
            }
        }
        List<Problem> problems = refusals.problems();
        if (valid.isEmpty()) {
            if (problems.isEmpty()) { // lifecycle events with no final read: acknowledged, nothing to store
                return new IngestOutcome.NothingToStore();
            }
            return new Quarantined(problems, reads.size());
        }
        ReadWriter.Stored stored;
        long submitted = System.nanoTime();
        try {
            stored = sink.submit(message, valid).get(commitTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                // PostgreSQL refused a value the normalisation let through: the message can never be stored as it is.
                Long id = refusals.add(Reason.MALFORMED_FIELD, "the store refused a value: " + sql.getSQLState(), null);
                return Quarantined.whole(new Problem(null, Reason.MALFORMED_FIELD, "a field holds a value the store refuses", id));
            }
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof ReadSink.Unavailable u) { // the Kafka spine of an edge hub: unreachable, timed out, full
                return new Unavailable(u.error(), u.getMessage(), u.retryAfterSeconds());
            }
            if (cause instanceof uk.anprhub.store.PictureFault) { // disk full or image store unwritable: transient
                log.warn("Feed {}: pictures cannot be written; answered retry-later", feed.id());
                return new Unavailable("store-unavailable", "the hub cannot store pictures now; retry later", 30);
            }
            // the writer failed for the whole batch (e.g. the connection died): retryable, not the message's fault
            log.warn("Feed {}: store writer failed ({})", feed.id(), cause == null ? "?" : cause.getClass().getName());
            return new Unavailable("store-unavailable", "the store is unavailable; retry later", 5);
        } finally {
            commitTimer.record(System.nanoTime() - submitted, TimeUnit.NANOSECONDS);
        }
        count("anpr_reads_stored", feed.id(), null, stored.stored());
        count("anpr_reads_duplicate", feed.id(), null, stored.duplicates());
        return new IngestOutcome.Stored(reads.size(), stored.stored(), stored.duplicates(), stored.readIds(), problems);
    }

    /**
     * The refusals of one message: its payload stored once (the first row holds it, later rows point at it); at most
     * {@code anpr.ingest.max-refusals-per-message} refused reads get a row each, the rest one summary row.
     */
    private final class Refusals {
        private final RawMessage message;
        private final FeedSettings feed;
        private final boolean reprocessing;
        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, Integer> beyondCap = new java.util.TreeMap<>(); // by reason code, as the summary names them
        private Long payloadRow;

        Refusals(RawMessage message, FeedSettings feed, boolean reprocessing) {
            this.message = message;
            this.feed = feed;
            this.reprocessing = reprocessing;
        }

        /** A refused read: a row of its own while under the cap, else only counted. */
        Long read(Integer index, Reason reason, String detail) {
            if (problems.size() >= limits.maxRefusalsPerMessage()) {
                beyondCap.merge(reason.code(), 1, Integer::sum);
                count("anpr_reads_quarantined", feed.id(), reason.code(), 1);
                return null;
            }
            Long id = add(reason, detail, index);
            problems.add(new Problem(index, reason, detail, id));
            return id;
        }

        /** A row; the payload goes with the message's first row only. Null when re-processing (reported, not kept). */
        Long add(Reason reason, String detail, Integer index) {
            if (reprocessing) {
                return null;
            }
            long id = quarantine.add(message, payloadRow, reason.code(), detail, index);
            if (payloadRow == null) {
                payloadRow = id;
            }
            count("anpr_reads_quarantined", feed.id(), reason.code(), 1);
            quarantineLog.quarantined(feed.id(), index == null ? "message" : "read #" + index, id, reason.code(), detail);
            return id;
        }

        /** The problems to report, with one summary of the reads refused beyond the cap (also quarantined). */
        List<Problem> problems() {
            if (!beyondCap.isEmpty()) {
                int more = beyondCap.values().stream().mapToInt(Integer::intValue).sum();
                String detail = more + " more refused read(s) of this message, not quarantined one by one (cap "
                        + limits.maxRefusalsPerMessage() + "): " + beyondCap + "; the payload holds them all";
                Long id = reprocessing ? null : quarantine.add(message, payloadRow, Reason.MORE_REFUSED_READS.code(), detail, null);
                problems.add(new Problem(null, Reason.MORE_REFUSED_READS, detail, id));
                beyondCap.clear();
            }
            return problems;
        }
    }

    /** Refuses a message a transport found unacceptable before decoding (e.g. too large), quarantining it. */
    public IngestOutcome refuse(RawMessage message, Reason reason, String detail) {
        FeedSettings feed = feeds.apply(message.feed());
        if (feed == null) {
            return unknownFeed(message);
        }
        try {
            Long id = new Refusals(message, feed, false).add(reason, detail, null);
            return Quarantined.whole(new Problem(null, reason, detail, id));
        } catch (org.springframework.dao.DataAccessException e) {
            return new Unavailable("store-unavailable", "the store is unavailable; retry later", 5);
        }
    }

    private static Refused unknownFeed(RawMessage message) {
        return new Refused(Refusal.UNKNOWN_FEED, "no enabled feed '" + message.feed() + "'");
    }

    private static String sqlState(Exception e) {
        Throwable t = e;
        while (t != null && !(t instanceof SQLException)) {
            t = t.getCause();
        }
        return t == null ? "-" : ((SQLException) t).getSQLState();
    }

    private void count(String name, String feed, String reason, int n) {
        if (n <= 0) {
            return;
        }
        String key = name + '|' + feed + '|' + reason;
        counters.computeIfAbsent(key, k -> IngestMetrics.counter(meters, name, feed, reason)).increment(n);
    }
}
