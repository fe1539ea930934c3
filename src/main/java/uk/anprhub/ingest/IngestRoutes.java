package uk.anprhub.ingest;

import uk.anprhub.message.RawMessage;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The ingest core route every transport calls, and the HTTP feed. Wiring only: the work is in
 * {@link IngestService} and {@link HttpFeed}.
 */
@Component
public class IngestRoutes extends RouteBuilder {

    /** Headers a transport sets when it sends bytes (not a {@link RawMessage}) to {@code direct:anpr-ingest}. */
    public static final String FEED = "AnprFeed";
    public static final String TRANSPORT = "AnprTransport";

    private final HttpFeed http;
    private final Clock clock;

    public IngestRoutes(HttpFeed http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from("direct:anpr-ingest").routeId("anpr-ingest")
                .description("Ingest core: decode, normalise, validate, quarantine or group-commit one message")
                .process(this::toRawMessage).id("anpr-ingest-raw")
                .process(this::ingest).id("anpr-ingest-core");

        from("platform-http:/ingest/{feedId}?httpMethodRestrict=POST").routeId("anpr-http-ingest")
                .description("HTTP camera feeds: POST /ingest/{feedId}")
                .onException(Exception.class).handled(true)
                    .log(org.apache.camel.LoggingLevel.ERROR, "HTTP ingest failed: ${exception.class.simpleName}: ${exception.message}")
                    .process(http::internalError).id("anpr-http-error")
                .end()
                .process(http::toRawMessage).id("anpr-http-request")
                .to("direct:anpr-ingest").id("anpr-http-to-core") // passes a refusal (401/403/413) through untouched
                .process(http::toResponse).id("anpr-http-response");
    }

    /**
     * A transport that already refused the message (e.g. too large) has put its answer in a property; an HTTP request
     * past its deadline is answered 503 ({@link HttpFeed#ingest}).
     */
    private void ingest(Exchange e) {
        e.getMessage().setBody(http.ingest(e.getMessage().getBody(RawMessage.class),
                e.getProperty(HttpFeed.RESULT, IngestOutcome.class), e.getProperty(HttpFeed.TICKET, HttpAdmission.Ticket.class)));
    }

    /** Bytes plus transport headers become a {@link RawMessage}; a RawMessage passes through. */
    private void toRawMessage(Exchange e) {
        Object body = e.getMessage().getBody();
        if (body instanceof RawMessage) {
            return;
        }
        Map<String, String> headers = new HashMap<>();
        e.getMessage().getHeaders().forEach((k, v) -> {
            if (v != null && !k.startsWith("Camel") && !k.startsWith("Anpr")) {
                headers.put(k.toLowerCase(java.util.Locale.ROOT), v.toString());
            }
        });
        e.getMessage().setBody(new RawMessage(e.getMessage().getBody(byte[].class), e.getMessage().getHeader(FEED, String.class),
                null, e.getMessage().getHeader(TRANSPORT, "unknown", String.class), e.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class),
                headers, e.getMessage().getHeader("AnprRemoteAddr", String.class), e.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class),
                e.getMessage().getHeader("AnprFolder", String.class), clock.instant()));
    }
}
