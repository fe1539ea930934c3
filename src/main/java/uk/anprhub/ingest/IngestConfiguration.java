package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import uk.anprhub.core.HubProperties;
import uk.anprhub.normalise.ValidationProperties;
import uk.anprhub.store.RetentionProperties;
import uk.anprhub.store.StoreProperties;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.store.QuarantineStore;
import uk.anprhub.store.ReadWriter;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

@Configuration(proxyBeanMethods = false)
@org.springframework.boot.context.properties.EnableConfigurationProperties({IngestLimits.class, HttpFeedProperties.class, FeedsProperties.class,
        ValidationProperties.class})
public class IngestConfiguration {

    @Bean
    FeedPathCheck feedPathCheck(org.apache.camel.CamelContext camel) {
        return new FeedPathCheck(camel);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Normaliser normaliser(CameraRegistry cameras, ValidationProperties validation, RetentionProperties retention, Clock clock,
                          IngestLimits limits) {
        return new Normaliser(cameras, new ValidationPolicy(clock, validation.futureSkew(),
                Duration.ofDays(retention.days())), limits.readLimits());
    }

    @Bean
    IngestService ingestService(ConnectorCatalog connectors, Normaliser normaliser, ReadWriter writer,
                                QuarantineStore quarantine, MeterRegistry meters, FeedsProperties props, IngestLimits limits,
                                StoreProperties store, HubProperties hub) {
        // Feed settings come from start-up configuration: resolve each feed once, not on every message.
        Map<String, FeedSettings> feeds = new ConcurrentHashMap<>();
        return new IngestService(connectors, feedId -> feedId == null ? null
                : feeds.computeIfAbsent(feedId, id -> feed(id, props, connectors, hub.demo())), normaliser, writer, quarantine,
                meters, store.commitTimeout(), limits);
    }

    @Bean
    OpenFeedWarnings openFeedWarnings(FeedsProperties props, ConnectorCatalog connectors, HubProperties hub) {
        return new OpenFeedWarnings(props, connectors, hub.demo());
    }

    @Bean
    HttpFeedGate httpFeedGate(IngestService ingest) {
        return new HttpFeedGate(ingest::feed);
    }

    @Bean
    HttpFeed httpFeed(ObjectMapper mapper, IngestService ingest, HttpFeedGate gate, Clock clock, HttpFeedProperties http) {
        return new HttpFeed(mapper, ingest, gate, clock, http.maxBody().toBytes());
    }

    @Bean
    HttpAdmission httpAdmission(HttpFeedProperties load, MeterRegistry meters) {
        long budget = load.bytesInFlight();
        org.slf4j.LoggerFactory.getLogger(HttpAdmission.class).info(
                "HTTP ingest: at most {} camera requests and {} MB of bodies in flight; reads not at the store {} s after their body get 503",
                load.maxRequestsInFlight(), budget >> 20, load.answerWithin().toSeconds());
        return new HttpAdmission(budget, load.maxRequestsInFlight(), load.answerWithin(), meters);
    }

    /**
     * Spring's own async timeout (which answers 503 while the route works on, and may still commit) above anything the
     * route waits for: the deadline to reach the store plus the store's commit timeout.
     */
    @Bean
    org.springframework.web.servlet.config.annotation.WebMvcConfigurer ingestAsyncTimeout(HttpFeedProperties load, StoreProperties store) {
        long millis = load.answerWithin().plus(store.commitTimeout()).plusSeconds(10).toMillis();
        return new org.springframework.web.servlet.config.annotation.WebMvcConfigurer() {
            @Override
            public void configureAsyncSupport(org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer c) {
                c.setDefaultTimeout(millis);
            }
        };
    }

    @Bean
    FilterRegistrationBean<IngestRequestFilter> ingestRequestFilter(HttpFeedProperties http, HttpFeedGate gate,
                                                                    ObjectMapper mapper, MeterRegistry meters,
                                                                    HttpAdmission admission, IngestReadiness readiness) {
        var registration = new FilterRegistrationBean<>(new IngestRequestFilter(http.maxBody().toBytes(),
                http.bodyTimeout(), http.maxConcurrentBodies(), gate, mapper, meters, admission, readiness));
        registration.addUrlPatterns(FeedPaths.servletPatterns());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> unreadBodyValve() {
        return factory -> factory.addContextValves(new UnreadBodyValve());
    }

    /** For HTTP feeds declared in routes/*.camel.yaml: request to raw message, result to the HTTP answer. */
    @Bean
    org.apache.camel.Processor httpFeedRequest(HttpFeed http) {
        return http::toRawMessage;
    }

    @Bean
    org.apache.camel.Processor httpFeedResponse(HttpFeed http) {
        return http::toResponse;
    }

    /**
     * A feed declared under {@code anpr.feeds}, or a connector id used as a feed id with default policies: usable by
     * the transports whose own configuration names it (TCP, FTP, Kafka, MQTT), over HTTP only in demo mode.
     */
    private static FeedSettings feed(String id, FeedsProperties props, ConnectorCatalog connectors, boolean demo) {
        FeedsProperties.Feed f = props.feeds().get(id);
        if (f != null) {
            List<String> allowlist = new ArrayList<>(f.allowlist());
            allowlist.addAll(f.allow());
            return new FeedSettings(id, f.connector() == null ? id : f.connector(), f.acceptUnknownCameras(), f.enabled(),
                    f.apiKeys().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList(), allowlist, f.http());
        }
        return connectors.find(id).isPresent() || connectors.broken().containsKey(id)
                ? new FeedSettings(id, id, false, true, List.of(), List.of(), demo) : null;
    }
}
