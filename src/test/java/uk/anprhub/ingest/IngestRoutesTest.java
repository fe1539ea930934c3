package uk.anprhub.ingest;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import uk.anprhub.message.RawMessage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The two ingest routes as Camel runs them, advised by route and step id: no web server, database or hub. The
 * core step is replaced by a mock endpoint, and the HTTP route's platform-http consumer by a direct endpoint.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = IngestRoutesTest.Wiring.class,
        properties = "camel.main.routes-include-pattern=classpath:none/*.yaml") // the Java routes alone
class IngestRoutesTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:15:30Z");

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CamelAutoConfiguration.class)
    static class Wiring {
        @Bean
        IngestService ingestService() {
            return mock(IngestService.class);
        }

        @Bean
        HttpFeed httpFeed() {
            return mock(HttpFeed.class);
        }

        @Bean
        IngestRoutes ingestRoutes(IngestService ingest, HttpFeed http) {
            return new IngestRoutes(http, Clock.fixed(NOW, ZoneOffset.UTC));
        }
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    IngestService ingest;
    @Autowired
    HttpFeed http;

    @BeforeEach
    void adviseOnce() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "anpr-ingest",
                    a -> a.weaveById("anpr-ingest-core").replace().to("mock:core"));
            AdviceWith.adviceWith(camel, "anpr-http-ingest", a -> {
                a.replaceFromWith("direct:http");
                a.weaveById("anpr-http-to-core").replace().to("mock:http-core");
            });
            camel.start();
        }
        MockEndpoint.resetMocks(camel);
        reset(ingest, http);
    }

    @Test
    void bytesFromATransportBecomeARawMessageWithItsFeedTransportAndHeaders() throws Exception {
        MockEndpoint core = camel.getEndpoint("mock:core", MockEndpoint.class);
        core.expectedMessageCount(1);

        producer.sendBodyAndHeaders("direct:anpr-ingest", "LINE 1".getBytes(StandardCharsets.UTF_8), Map.of(
                IngestRoutes.FEED, "nas-line", IngestRoutes.TRANSPORT, "tcp", Exchange.CONTENT_TYPE, "text/plain",
                "AnprRemoteAddr", "10.0.0.7", "X-Camera-Serial", "S-42", "CamelTcpLocal", "internal"));

        core.assertIsSatisfied();
        RawMessage raw = core.getReceivedExchanges().get(0).getMessage().getBody(RawMessage.class);
        assertThat(raw.feed()).isEqualTo("nas-line");
        assertThat(raw.transport()).isEqualTo("tcp");
        assertThat(raw.contentType()).isEqualTo("text/plain");
        assertThat(raw.remoteAddr()).isEqualTo("10.0.0.7");
        assertThat(raw.receivedAt()).isEqualTo(NOW);
        assertThat(new String(raw.payload(), StandardCharsets.UTF_8)).isEqualTo("LINE 1");
        // transport headers lower-cased; Camel's and the hub's own (Anpr*) are not the camera's
        assertThat(raw.headers()).containsEntry("x-camera-serial", "S-42").containsEntry("content-type", "text/plain")
                .doesNotContainKeys("camelTcpLocal", "cameltcplocal", "anprfeed", "anprremoteaddr");
    }

    @Test
    void aRawMessageIsPassedOnAsItIs() throws Exception {
        MockEndpoint core = camel.getEndpoint("mock:core", MockEndpoint.class);
        core.expectedMessageCount(1);
        RawMessage sent = new RawMessage("{}".getBytes(StandardCharsets.UTF_8), "nas-json", null, "kafka",
                "application/json", Map.of(), null, null, null, Instant.EPOCH);

        producer.sendBodyAndHeader("direct:anpr-ingest", sent, IngestRoutes.FEED, "another-feed");

        core.assertIsSatisfied();
        assertThat(core.getReceivedExchanges().get(0).getMessage().getBody()).isSameAs(sent);
    }

    @Test
    void httpRouteReadsTheRequestSendsItToTheCoreAndAnswers() throws Exception {
        MockEndpoint core = camel.getEndpoint("mock:http-core", MockEndpoint.class);
        core.expectedMessageCount(1);

        producer.sendBody("direct:http", "{}");

        core.assertIsSatisfied();
        InOrder order = inOrder(http);
        order.verify(http).toRawMessage(any(Exchange.class));
        order.verify(http).toResponse(any(Exchange.class));
        verify(http, never()).internalError(any(Exchange.class));
        verifyNoInteractions(ingest);
    }

    @Test
    void aFailureInsideTheHttpRouteIsAnsweredByTheFeedNotThrownAtTheCamera() throws Exception {
        doThrow(new IllegalStateException("boom")).when(http).toRawMessage(any(Exchange.class));
        MockEndpoint core = camel.getEndpoint("mock:http-core", MockEndpoint.class);
        core.expectedMessageCount(0);

        Exchange done = producer.send("direct:http", e -> e.getMessage().setBody("{}"));

        assertThat(done.getException()).as("handled by the route's onException").isNull();
        verify(http).internalError(any(Exchange.class));
        verify(http, never()).toResponse(any(Exchange.class));
        core.assertIsSatisfied();
    }
}
