package uk.anprhub.ingest;

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
 * {@link IngestResult} to the answer of the contract.
 */
public final class HttpFeed {

    /** Never kept with a message: credentials and hop-by-hop noise. */
    private static final Set<String> DROPPED = Set.of("authorization", "cookie", "proxy-authorization", "x-api-key",
            "connection", "keep-alive", "transfer-encoding", "accept-encoding");
    static final String RESULT = "AnprIngestResult";

    private final ObjectMapper mapper;
    private final IngestService ingest;
    private final Clock clock;
    private final long maxBody;

    public HttpFeed(ObjectMapper mapper, IngestService ingest, Clock clock, long maxBody) {
        this.mapper = mapper;
        this.ingest = ingest;
        this.clock = clock;
        this.maxBody = maxBody;
    }

    /** Reads the request into a raw message; an oversize body is refused (413) without being read whole. */
    public void toRawMessage(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        HttpServletRequest request = in instanceof PlatformHttpMessage p ? p.getRequest() : null;
        String feed = in.getHeader("feedId", String.class);
        String contentType = request != null && request.getAttribute(IngestRequestFilter.ORIGINAL_CONTENT_TYPE) != null
                ? (String) request.getAttribute(IngestRequestFilter.ORIGINAL_CONTENT_TYPE)
                : in.getHeader(Exchange.CONTENT_TYPE, String.class);
        Map<String, String> headers = new HashMap<>();
        if (request != null) {
            for (var names = request.getHeaderNames(); names.hasMoreElements(); ) {
                String name = names.nextElement();
                String lower = name.toLowerCase(Locale.ROOT);
                if (!DROPPED.contains(lower) && !lower.equals("content-type")) {
                    headers.put(lower, request.getHeader(name));
                }
            }
        }
        String remote = request == null ? null : request.getRemoteAddr();
        long declared = request == null ? -1 : request.getContentLengthLong();
        byte[] body;
        boolean tooLarge = declared > maxBody;
        if (tooLarge) {
            body = new byte[0];
        } else {
            try (InputStream is = in.getBody(InputStream.class)) {
                body = is == null ? new byte[0] : is.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            }
            tooLarge = body.length > maxBody;
            if (tooLarge) { // chunked upload without a length: keep what was read as evidence
                body = java.util.Arrays.copyOf(body, (int) Math.min(body.length, 64 * 1024));
            }
        }
        RawMessage message = new RawMessage(body, feed, null, "http", contentType, headers, remote, null, null,
                clock.instant());
        if (tooLarge) {
            exchange.setProperty(RESULT, ingest.refuse(message, "too-large", "the body exceeds the limit of "
                    + maxBody + " bytes" + (declared > 0 ? " (declared " + declared + ")" : ""), 413));
        }
        in.setBody(message);
    }

    /** Writes the contract's answer: status, JSON body, Retry-After on 503. No request header is echoed. */
    public void toResponse(Exchange exchange) throws IOException {
        IngestResult result = exchange.getProperty(RESULT, IngestResult.class);
        if (result == null) {
            result = exchange.getMessage().getBody(IngestResult.class);
        }
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, result.status());
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (result.retryAfterSeconds() != null) {
            out.setHeader("Retry-After", String.valueOf(result.retryAfterSeconds()));
        }
        out.setBody(mapper.writeValueAsBytes(result));
    }

    /** Anything unexpected: a JSON 500 without internals (the log has the stack trace). */
    public void internalError(Exchange exchange) throws IOException {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 500);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(mapper.writeValueAsBytes(Map.of("error", "internal", "detail",
                "the hub failed to process the message; it was not stored — retry later")));
    }
}
