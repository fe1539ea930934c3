package uk.anprhub.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The budget of HTTP camera work in flight: requests and body bytes admitted and not yet answered. A request takes a
 * {@link Ticket} before its body is read and gives it back when its answer is out, so what the hub holds for cameras
 * is bounded whatever the number of senders. Gauges: {@code anpr_http_ingest_bytes_in_flight},
 * {@code anpr_http_ingest_requests_in_flight}.
 */
public final class HttpAdmission {

    private final long maxBytes;
    private final int maxRequests;
    private final Duration answerWithin;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();

    public HttpAdmission(long maxBytes, int maxRequests, Duration answerWithin, MeterRegistry meters) {
        this.maxBytes = maxBytes;
        this.maxRequests = maxRequests;
        this.answerWithin = answerWithin;
        Gauge.builder("anpr_http_ingest_bytes_in_flight", bytes, AtomicLong::get)
                .description("Body bytes of HTTP camera requests admitted and not yet answered").baseUnit("bytes").register(meters);
        Gauge.builder("anpr_http_ingest_requests_in_flight", requests, AtomicInteger::get)
                .description("HTTP camera requests admitted and not yet answered").register(meters);
    }

    /** The admission the limits allow, said once in the log. */
    static HttpAdmission of(HttpFeedProperties load, MeterRegistry meters) {
        long budget = load.bytesInFlight();
        org.slf4j.LoggerFactory.getLogger(HttpAdmission.class).info(
                "HTTP ingest: at most {} camera requests and {} MB of bodies in flight; reads not at the store {} s after their body get 503",
                load.maxRequestsInFlight(), budget >> 20, load.answerWithin().toSeconds());
        return new HttpAdmission(budget, load.maxRequestsInFlight(), load.answerWithin(), meters);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** A ticket holding {@code reserve} bytes, or null when the request count or the byte budget is spent. */
    public Ticket admit(long reserve) {
        if (requests.incrementAndGet() > maxRequests) {
            requests.decrementAndGet();
            return null;
        }
        Ticket ticket = new Ticket();
        if (!ticket.grow(Math.max(0, reserve))) {
            ticket.release();
            return null;
        }
        return ticket;
    }

    private boolean take(long n) {
        long now;
        do {
            now = bytes.get();
            if (now + n > maxBytes) {
                return false;
            }
        } while (!bytes.compareAndSet(now, now + n));
        return true;
    }

    /** One admitted request: its share of the budget, and the deadline by which its reads must reach the store. */
    public final class Ticket {
        private final AtomicBoolean released = new AtomicBoolean();
        private long held;
        private volatile long deadline;

        /** Holds {@code total} bytes in all (more than now only); false when the budget has no room left. */
        public synchronized boolean grow(long total) {
            if (total <= held) {
                return true;
            }
            if (released.get() || !take(total - held)) {
                return false;
            }
            held = total;
            return true;
        }

        /** The body is whole: from now the request has {@code anpr.http.answer-within} to reach the store. */
        public void startClock() {
            deadline = System.nanoTime() + answerWithin.toNanos();
        }

        /** True when the clock was started and the time to reach the store has passed. */
        public boolean expired() {
            long d = deadline;
            return d != 0 && System.nanoTime() - d > 0;
        }

        /** Gives the bytes and the request slot back; only the first call counts. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                synchronized (this) {
                    bytes.addAndGet(-held);
                    held = 0;
                }
                requests.decrementAndGet();
            }
        }
    }
}
