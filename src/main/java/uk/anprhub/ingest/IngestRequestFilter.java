package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import uk.anprhub.ingest.IngestOutcome.Refusal;
import uk.anprhub.ingest.IngestOutcome.Refused;
import uk.anprhub.ingest.IngestOutcome.Unavailable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Over 300 lines on purpose: the five steps below share one request, one admission ticket and the order in which
 * they give it back; the policies are apart ({@link IngestReadiness}, {@link HttpFeedGate}, {@link HttpAdmission}).
 * <p>
 * The front door of HTTP camera feeds, before Camel sees the request:
 * <ol>
 * <li>until the hub can take reads ({@link IngestReadiness}) every camera request gets 503 + Retry-After, never the
 * 404 of a route that is not there yet;</li>
 * <li>the feed, the sender's address and its API key are checked from the headers ({@link HttpFeedGate}); a refused
 * sender's body is never read — it gets 401/403/404 and the connection is closed;</li>
 * <li>the request takes its share of the in-flight budget ({@link HttpAdmission}): its {@code Content-Length} (a
 * chunked body is counted as it arrives) and one request slot, held until the answer is out; beyond it 503 +
 * Retry-After before the body is read, so memory is bounded whatever the number of cameras;</li>
 * <li>at most {@code maxConcurrentBodies} requests read bodies at once; beyond it 503 + Retry-After at once, so slow
 * senders cannot take the web threads health, API and Hawtio need;</li>
 * <li>the body — at most the size limit plus one byte, so {@link HttpFeed} can answer 413 — must arrive whole within
 * {@code bodyTimeout}, or 408 and the connection is closed. Then the request's clock starts: reads that did not reach
 * the store within {@code anpr.http.answer-within} are answered 503 and not stored (see {@link IngestRoutes}).</li>
 * </ol>
 * Camel then gets an empty opaque request with the raw bytes in an attribute — its binding would otherwise turn form
 * fields into message headers and read multipart bodies through a character reader, which fails on JPEG parts.
 * Refusals are counted in {@code anpr_http_ingest_refused_total{reason}}.
 */
public final class IngestRequestFilter extends OncePerRequestFilter {

    static final String ORIGINAL_CONTENT_TYPE = "anpr.originalContentType";
    static final String BODY = "anpr.body";
    static final String DECLARED_LENGTH = "anpr.declaredLength";
    /** The feed the gate let through; {@link HttpFeed} refuses a route that names another. */
    static final String FEED = "anpr.feed";
    /** Set when the answer leaves a body unread: {@link UnreadBodyValve} closes the connection instead of draining it. */
    static final String CLOSE = "anpr.closeUnread";
    /** The request's {@link HttpAdmission.Ticket}: its budget share and its deadline. */
    static final String TICKET = "anpr.ticket";
    private static final String OPAQUE = "application/octet-stream";

    private final long maxBody;
    private final Duration bodyTimeout;
    private final Semaphore bodies;
    /** Refused requests whose bodies are being read and dropped; apart from {@link #bodies} so admitted reads never starve them. */
    private final Semaphore drains;
    private final HttpFeedGate gate;
    private final ObjectMapper mapper;
    private final HttpRefusals refusals;
    private final HttpAdmission admission;
    private final IngestReadiness readiness;
    /** The camera listener serves {@code /ingest/**}: this port answers it 404 (the fixed feed paths stay here). */
    private final boolean ingestOnListener;

    /** Filters the declared feed paths ({@link FeedPaths}). */
    public IngestRequestFilter(long maxBody, Duration bodyTimeout, int maxConcurrentBodies, HttpFeedGate gate,
                               ObjectMapper mapper, HttpRefusals refusals,
                               HttpAdmission admission, IngestReadiness readiness, boolean ingestOnListener) {
        this.ingestOnListener = ingestOnListener;
        this.admission = admission;
        this.readiness = readiness;
        this.maxBody = maxBody;
        this.bodyTimeout = bodyTimeout;
        this.bodies = new Semaphore(maxConcurrentBodies);
        this.drains = new Semaphore(maxConcurrentBodies);
        this.gate = gate;
        this.mapper = mapper;
        this.refusals = refusals;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !path.startsWith(FeedPaths.INGEST) && !FeedPaths.FIXED.containsKey(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String feed = FeedPaths.feedOf(path(request));
        if (ingestOnListener && path(request).startsWith(FeedPaths.INGEST)) {
            // moved: the same answer as a feed that does not exist, body unread, connection closed
            refuse(request, response, new Refused(Refusal.UNKNOWN_FEED,
                    "HTTP camera feeds are not served on this port"));
            return;
        }
        if (!readiness.ready()) {
            refuse(request, response, new Unavailable("starting",
                    "the hub is starting (or stopping) and cannot take reads yet; retry shortly", 5));
            return;
        }
        Refused denied = gate.check(feed, request.getRemoteAddr(), request.getHeader("X-Api-Key"));
        if (denied != null) {
            refuse(request, response, denied);
            return;
        }
        long declared = request.getContentLengthLong();
        boolean tooLarge = declared > maxBody; // refused unread (413 by HttpFeed); the status closes the connection
        HttpAdmission.Ticket ticket = admission.admit(tooLarge ? 0 : Math.max(0, declared));
        if (ticket == null) {
            refuseAfterDraining(request, response, new Unavailable("over-budget",
                    "the hub holds as many camera requests as it may; retry shortly (nothing was stored)", 2));
            return;
        }
        boolean handedOff = false;
        try {
            request.setAttribute(FEED, feed);
            request.setAttribute(ORIGINAL_CONTENT_TYPE, request.getContentType());
            request.setAttribute(DECLARED_LENGTH, declared);
            request.setAttribute(TICKET, ticket);
            byte[] body;
            if (tooLarge) {
                body = new byte[0];
            } else if (!bodies.tryAcquire()) { // slow senders: answered at once, never drained (a thread each)
                refuse(request, response, new Unavailable("busy",
                        "too many camera requests are sending their bodies; retry shortly", 1));
                return;
            } else {
                try {
                    body = readBody(request, ticket);
                } catch (OverBudget e) {
                    refuse(request, response, new Unavailable("over-budget",
                            "the hub holds as many camera requests as it may; retry shortly (nothing was stored)", 2));
                    return;
                } catch (IOException e) {
                    refuse(request, response, new Refused(Refusal.BODY_TIMEOUT,
                            "the body did not arrive whole within " + bodyTimeout.toSeconds() + " s"));
                    return;
                } finally {
                    bodies.release();
                }
            }
            request.setAttribute(BODY, body);
            ticket.startClock();
            chain.doFilter(new Emptied(request), response);
            if (request.isAsyncStarted()) { // the route answers on another thread: give the budget back when it has
                request.getAsyncContext().addListener(new Release(ticket));
                handedOff = true;
            }
        } finally {
            if (!handedOff) {
                ticket.release();
            }
        }
    }

    /**
     * The whole body within the deadline: checked after every read (each read itself waits at most Tomcat's timeout).
     * A body without a declared length takes its bytes from the budget as they arrive.
     */
    private byte[] readBody(HttpServletRequest request, HttpAdmission.Ticket ticket) throws IOException {
        long deadline = System.nanoTime() + bodyTimeout.toNanos();
        long declared = request.getContentLengthLong();
        if (declared >= 0) { // the common case: straight into an array of its size, not a buffer copied at the end
            return readDeclared(request, (int) declared, deadline);
        }
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, Math.max(0, request.getContentLengthLong()) + 1));
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while (out.size() < limit && (n = in.read(buffer, 0, Math.min(buffer.length, limit - out.size()))) >= 0) {
                if (!ticket.grow(out.size() + (long) n)) {
                    throw new OverBudget();
                }
                out.write(buffer, 0, n);
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("body deadline passed");
                }
            }
        }
        return out.toByteArray();
    }

    /** A body of declared length (at most {@code maxBody}, already reserved): exactly that many bytes, or an error. */
    private static byte[] readDeclared(HttpServletRequest request, int length, long deadline) throws IOException {
        byte[] body = new byte[length];
        int at = 0;
        try (InputStream in = request.getInputStream()) {
            while (at < length) {
                int n = in.read(body, at, Math.min(8192, length - at));
                if (n < 0) {
                    throw new IOException("body shorter than its Content-Length");
                }
                at += n;
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("body deadline passed");
                }
            }
        }
        return body;
    }

    /** A body of undeclared length that outgrew the room left in the budget. */
    private static final class OverBudget extends IOException {
        OverBudget() {
            super("in-flight budget spent");
        }
    }

    /** Gives a ticket back once the asynchronous answer is complete (or failed). */
    private record Release(HttpAdmission.Ticket ticket) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            ticket.release();
        }

        @Override
        public void onError(AsyncEvent event) {
            ticket.release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // not expected (the async timeout is above answer-within + commit timeout); Spring answers, onComplete follows
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /**
     * A known camera refused for want of room: its body is read and dropped (nothing kept) before the answer, so the
     * camera reads the 503. Closing on an unread body makes the kernel answer the camera's next bytes with a reset,
     * which throws away the 503 already on its way: the camera sees a connection closed without an answer (the
     * flood of issue 11.3 lost up to half its answers so). Draining takes a slot of its own (as many as body slots,
     * so admitted bodies never wait for refused ones, and slow senders still hold a bounded number of threads) and
     * keeps to the body deadline; with no drain slot free the connection is closed as for any refusal.
     */
    private void refuseAfterDraining(HttpServletRequest request, HttpServletResponse response, IngestOutcome result)
            throws IOException {
        if (drains.tryAcquire()) {
            try {
                long deadline = System.nanoTime() + bodyTimeout.toNanos();
                byte[] buffer = new byte[8192];
                try (InputStream in = request.getInputStream()) {
                    while (in.read(buffer) >= 0) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new IOException("body deadline passed");
                        }
                    }
                }
                write(response, result);
                return;
            } catch (IOException e) {
                // too slow or gone: close as for any other refusal
            } finally {
                drains.release();
            }
        }
        refuse(request, response, result);
    }

    /** Answers without reading (more of) the body, and closes the connection rather than draining the rest. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, IngestOutcome result) throws IOException {
        request.setAttribute(CLOSE, Boolean.TRUE);
        response.setHeader("Connection", "close");
        write(response, result);
    }

    /** Counts the refusal and writes its answer. */
    private void write(HttpServletResponse response, IngestOutcome result) throws IOException {
        HttpAnswer answer = HttpAnswer.of(result);
        refusals.count(answer.error());
        response.setStatus(answer.status());
        response.setContentType("application/json");
        if (answer.retryAfterSeconds() != null) {
            response.setHeader("Retry-After", String.valueOf(answer.retryAfterSeconds()));
        }
        response.getOutputStream().write(mapper.writeValueAsBytes(answer.body()));
        response.flushBuffer(); // committed: closing the connection afterwards must not swap in an error page
    }

    /** The decoded, normalised path within the application (never the raw URI, which may hide dot segments). */
    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }

    /** The request as Camel sees it: no body, an opaque type. */
    private static final class Emptied extends HttpServletRequestWrapper {
        Emptied(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return OPAQUE;
        }

        @Override
        public int getContentLength() {
            return 0;
        }

        @Override
        public long getContentLengthLong() {
            return 0;
        }

        @Override
        public String getHeader(String name) {
            if ("content-type".equalsIgnoreCase(name)) {
                return OPAQUE;
            }
            return "content-length".equalsIgnoreCase(name) ? "0" : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String h = getHeader(name);
            return "content-type".equalsIgnoreCase(name) || "content-length".equalsIgnoreCase(name)
                    ? Collections.enumeration(List.of(h)) : super.getHeaders(name);
        }

        @Override
        public ServletInputStream getInputStream() {
            return new ServletInputStream() {
                @Override
                public int read() {
                    return -1;
                }

                @Override
                public boolean isFinished() {
                    return true;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    // nothing to read
                }
            };
        }
    }
}
