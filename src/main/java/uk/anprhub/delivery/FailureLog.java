package uk.anprhub.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What a failing target says in the log: its id, URL (no credentials or query), and why the send failed — HTTP status
 * or error class, never a payload. Rate-limited: a line when the target starts failing, when the reason changes, a
 * summary every {@code summaryEvery} while it keeps failing, and a line when it delivers again; at most one failing
 * line per {@code quiet}, so a flapping target does not write a line per batch. Also keeps the last error for
 * status and JMX.
 */
final class FailureLog {

    private static final Logger log = LoggerFactory.getLogger(TargetWorker.class);

    /** The last failure and when it happened. */
    record LastError(String reason, Instant at) {
        @Override
        public String toString() {
            return reason + " at " + at;
        }
    }

    private final String target;
    private final String url;
    private final Clock clock;
    private final Duration quiet;
    private final Duration summaryEvery;
    private boolean failing;
    private boolean announced;
    private String announcedReason;
    private Instant failingSince;
    private Instant lastLine = Instant.MIN;
    private long failures;
    private volatile LastError lastError;

    FailureLog(String target, String url, Clock clock, Duration quiet, Duration summaryEvery) {
        this.target = target;
        this.url = url;
        this.clock = clock;
        this.quiet = quiet;
        this.summaryEvery = summaryEvery;
    }

    String url() {
        return url;
    }

    LastError lastError() {
        return lastError;
    }

    /** @param reason status or error class and short message, built without request content */
    synchronized void failed(String reason) {
        Instant now = clock.instant();
        lastError = new LastError(reason, now);
        if (!failing) {
            failing = true;
            announced = false;
            failingSince = now;
            failures = 0;
        }
        failures++;
        boolean quietOver = !lastLine.plus(quiet).isAfter(now);
        if (!announced && quietOver) {
            log.warn("Delivery target {} ({}) failing: {} — reads stay queued and are retried with back-off", target, url, reason);
            line(now, reason);
        } else if (announced && !reason.equals(announcedReason) && quietOver) {
            log.warn("Delivery target {} ({}) still failing, now: {} ({} failed sends since {})", target, url, reason, failures, failingSince);
            line(now, reason);
        } else if (announced && !lastLine.plus(summaryEvery).isAfter(now)) {
            log.warn("Delivery target {} ({}) still failing since {}: {} failed sends, last: {}", target, url, failingSince, failures, reason);
            line(now, reason);
        }
    }

    synchronized void succeeded() {
        if (failing) {
            failing = false;
            if (announced) {
                log.info("Delivery target {} ({}) delivering again after {} s and {} failed sends", target, url,
                        Duration.between(failingSince, clock.instant()).toSeconds(), failures);
                lastLine = clock.instant();
            }
        }
    }

    private void line(Instant now, String reason) {
        announced = true;
        announcedReason = reason;
        lastLine = now;
    }
}
