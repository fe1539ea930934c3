package uk.anprhub.ingest;

import uk.anprhub.message.RawMessage;
import uk.anprhub.message.Reason;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP side of {@code POST /ingest/{feedId}}: request to {@link RawMessage} (with the size limit) and
 * {@link IngestOutcome} to the answer of the contract ({@link HttpAnswer}).
 */
public final class HttpFeed {

    /** Never kept with a message: credentials and hop-by-hop noise. */
    private static final Set<String> DROPPED = Set.of("authorization", "cookie", "proxy-authorization", "x-api-key",
            "connection", "keep-alive", "transfer-encoding", "accept-encoding", "content-length");
    /** An outcome decided before the ingest core (a refused sender, a body too large): the core is not asked. */
    static final String RESULT = "AnprIngestResult";
    /** The request's {@link HttpAdmission.Ticket}, for the deadline check before the reads go to the store. */
    static final String TICKET = "AnprHttpTicket";

    private final ObjectMapper mapper;
    private final IngestService ingest;
    private final HttpFeedGate gate;
    private final Clock clock;
    private final long maxBody;
    private final HttpRefusals refusals;

    public HttpFeed(ObjectMapper mapper, IngestService ingest, HttpFeedGate gate, Clock clock, long maxBody,
                    HttpRefusals refusals) {
        this.refusals = refusals;
        this.mapper = mapper;
        this.ingest = ingest;
        this.gate = gate;
        this.clock = clock;
        this.maxBody = maxBody;
    }

    /**
     * Reads the request into a raw message; an oversize body is refused (413) without being read whole. The sender
     * was checked by {@link IngestRequestFilter} before its body was read; a request that did not pass that filter (a
     * route at another path) is checked here, also before its body is read.
     */
    public void toRawMessage(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        HttpServletRequest request = in instanceof PlatformHttpMessage p ? p.getRequest() : null;
        String feed = in.getHeader("feedId", String.class);
        IngestOutcome denied = request == null ? null : authorise(feed, request);
        String contentType = request != null && request.getAttribute(IngestRequestFilter.ORIGINAL_CONTENT_TYPE) != null
                ? (String) request.getAttribute(IngestRequestFilter.ORIGINAL_CONTENT_TYPE)
                : in.getHeader(Exchange.CONTENT_TYPE, String.class);
        Map<String, String> headers = new HashMap<>();
        if (request != null) {
            for (var names = request.getHeaderNames(); names.hasMoreElements(); ) {
                String name = names.nextElement();
                headers.put(name, request.getHeader(name));
            }
        }
        if (request != null && request.getAttribute(IngestRequestFilter.TICKET) != null) {
            exchange.setProperty(TICKET, request.getAttribute(IngestRequestFilter.TICKET));
        }
        String remote = request == null ? null : request.getRemoteAddr();
        Object declaredAttr = request == null ? null : request.getAttribute(IngestRequestFilter.DECLARED_LENGTH);
        long declared = declaredAttr instanceof Long l ? l : -1;
        byte[] body = request == null ? null : (byte[]) request.getAttribute(IngestRequestFilter.BODY);
        if (denied != null) {
            body = new byte[0]; // a refused sender's body is not read, let alone kept
        } else if (body == null) { // not through the filter (a route on another path): read what Camel holds
            try (InputStream is = in.getBody(InputStream.class)) {
                body = is == null ? new byte[0] : is.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            }
        }
        Request prepared = request(feed, contentType, headers, remote, body, declared);
        if (denied != null) {
            exchange.setProperty(RESULT, denied);
        } else if (prepared.refused() != null) {
            exchange.setProperty(RESULT, prepared.refused());
        }
        in.setBody(prepared.message());
    }

    /**
     * A camera request, as either door (Tomcat, the camera listener) received it, as a raw message: credentials and
     * hop-by-hop headers dropped, an oversize body refused (413, its start kept as evidence).
     *
     * @param headers  every header by name (any case), first value each
     * @param declared the request's Content-Length, -1 for none
     */
    public Request request(String feed, String contentType, Map<String, String> headers, String remote, byte[] body,
                           long declared) {
        Map<String, String> kept = new HashMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!DROPPED.contains(lower) && !lower.equals("content-type")) {
                kept.put(lower, value);
            }
        });
        boolean tooLarge = declared > maxBody || body.length > maxBody;
        if (tooLarge && body.length > 64 * 1024) { // keep the start as evidence, not the whole upload
            body = java.util.Arrays.copyOf(body, 64 * 1024);
        }
        RawMessage message = new RawMessage(body, feed, null, "http", contentType, kept, remote, null, null,
                clock.instant());
        IngestOutcome refused = !tooLarge ? null : ingest.refuse(message, Reason.TOO_LARGE,
                "the body exceeds the limit of " + maxBody + " bytes" + (declared > 0 ? " (declared " + declared + ")" : ""));
        return new Request(message, refused);
    }

    /** A request as a raw message, and its outcome when already decided at the door (null: ask the ingest core). */
    public record Request(RawMessage message, IngestOutcome refused) {
    }

    /**
     * The ingest core for an HTTP request: an outcome decided at the door passes through; a request that waited past
     * its deadline ({@code anpr.http.answer-within}) is answered 503 and not stored — its camera may have given up on
     * it, and a read committed after the camera was told "failed" comes back as a duplicate.
     */
    public IngestOutcome ingest(RawMessage message, IngestOutcome decided, HttpAdmission.Ticket ticket) {
        if (decided == null && ticket != null && ticket.expired()) {
            refusals.count("deadline");
            decided = new IngestOutcome.Unavailable("deadline",
                    "the hub could not take this request in time; it was not stored — retry", 2);
        }
        return decided != null ? decided : ingest.ingest(message);
    }

    /**
     * The filter's verdict must be about this feed (a route naming another feed than its path is refused); a
     * request that bypassed the filter is checked now. A refused sender's body is not kept — it is not a camera of
     * ours, and storing it would let anyone fill the quarantine.
     */
    private IngestOutcome authorise(String feedId, HttpServletRequest request) {
        Object passed = request.getAttribute(IngestRequestFilter.FEED);
        if (passed == null) {
            return gate.check(feedId, request.getRemoteAddr(), request.getHeader("X-Api-Key"));
        }
        return passed.equals(feedId) ? null
                : new IngestOutcome.Refused(IngestOutcome.Refusal.UNKNOWN_FEED, "no enabled HTTP feed '" + feedId + "'");
    }

    /** Writes the contract's answer: status, JSON body, Retry-After on 503. No request header is echoed. */
    public void toResponse(Exchange exchange) throws IOException {
        IngestOutcome result = exchange.getProperty(RESULT, IngestOutcome.class);
        if (result == null) {
            result = exchange.getMessage().getBody(IngestOutcome.class);
        }
        HttpAnswer answer = HttpAnswer.of(result);
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (answer.retryAfterSeconds() != null) {
            out.setHeader("Retry-After", String.valueOf(answer.retryAfterSeconds()));
        }
        out.setBody(mapper.writeValueAsBytes(answer.body()));
    }

    /** Anything unexpected: a JSON 500 without internals (the log has the stack trace). */
    public void internalError(Exchange exchange) throws IOException {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 500);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(internalErrorBody());
    }

    /** The JSON body of a 500: no internals. */
    public byte[] internalErrorBody() throws IOException {
        return mapper.writeValueAsBytes(Map.of("error", "internal", "detail",
                "the hub failed to process the message; it was not stored — retry later"));
    }

    /** The JSON body of an answer. */
    public byte[] body(HttpAnswer answer) throws IOException {
        return mapper.writeValueAsBytes(answer.body());
    }
}
