package uk.anprhub.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Log lines for quarantined input, rate-limited per reason: the first of a reason in an interval is logged as it
 * happens, the rest are counted and summed up in one line when the interval ends ({@link #flush}). A flood of bad
 * input (a mis-mapped camera sends thousands) gives a line per reason per minute, not one per message; the counts
 * are in {@code anpr_reads_quarantined_total} and {@code anpr_quarantine_held}.
 */
public final class QuarantineLog {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final long intervalNanos;
    private final Duration interval;
    private final Map<String, Window> windows = new LinkedHashMap<>();

    private static final class Window {
        final long start;
        int more;
        final Set<String> feeds = new TreeSet<>();

        Window(long start) {
            this.start = start;
        }
    }

    public QuarantineLog(Duration interval) {
        this.interval = interval;
        this.intervalNanos = interval.toNanos();
    }

    /** @param what "message" or "read #n" */
    public void quarantined(String feed, String what, Long id, String reason, String detail) {
        boolean first;
        synchronized (this) {
            flush(System.nanoTime());
            Window w = windows.get(reason);
            first = w == null;
            if (first) {
                windows.put(reason, new Window(System.nanoTime()));
            } else {
                w.more++;
                w.feeds.add(feed);
            }
        }
        if (first) {
            log.info("Feed {}: quarantined {} (id {}, reason {}{}){}", feed, what, id, reason, detail == null ? "" : ": " + detail,
                    " — further ones of this reason are summed up for " + interval.toSeconds() + " s");
        }
    }

    /** Logs the summary of every interval that has ended. */
    public void flush() {
        synchronized (this) {
            flush(System.nanoTime(), false);
        }
    }

    /** Logs every summary now and starts afresh (at shutdown, so no count is lost): the next refusal of each reason is logged at once. */
    public void flushAll() {
        synchronized (this) {
            flush(System.nanoTime(), true);
        }
    }

    private void flush(long now) {
        flush(now, false);
    }

    private void flush(long now, boolean all) {
        for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Window> e = it.next();
            Window w = e.getValue();
            if (all || now - w.start >= intervalNanos) {
                it.remove();
                if (w.more > 0) {
                    log.info("Quarantine: {} more message(s)/read(s) quarantined as {} in the last {} s or less (feeds {}); "
                            + "list them with GET /api/v1/quarantine?reason={}", w.more, e.getKey(),
                            interval.toSeconds(), w.feeds, e.getKey());
                }
            }
        }
    }
}
