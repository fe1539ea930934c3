package uk.anprhub.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import uk.anprhub.HubProperties;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.read.Normaliser;
import uk.anprhub.read.ValidationPolicy;
import uk.anprhub.store.QuarantineStore;
import uk.anprhub.store.ReadWriter;

import java.time.Clock;
import java.time.Duration;

@Configuration(proxyBeanMethods = false)
@org.springframework.boot.context.properties.EnableConfigurationProperties(IngestLimits.class)
public class IngestConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Normaliser normaliser(CameraRegistry cameras, HubProperties props, Clock clock, IngestLimits limits) {
        return new Normaliser(cameras, new ValidationPolicy(clock, props.validation().futureSkew(),
                Duration.ofDays(props.retention().days())), limits.readLimits());
    }

    @Bean
    IngestService ingestService(ConnectorCatalog connectors, Normaliser normaliser, ReadWriter writer,
                                QuarantineStore quarantine, MeterRegistry meters, HubProperties props, IngestLimits limits) {
        // Feed settings come from start-up configuration: resolve each feed once, not on every message.
        java.util.Map<String, FeedSettings> feeds = new java.util.concurrent.ConcurrentHashMap<>();
        return new IngestService(connectors, feedId -> feedId == null ? null
                : feeds.computeIfAbsent(feedId, id -> feed(id, props, connectors)), normaliser, writer, quarantine,
                meters, props.store().commitTimeout(), limits);
    }

    @Bean
    HttpFeed httpFeed(com.fasterxml.jackson.databind.ObjectMapper mapper, IngestService ingest, Clock clock, HubProperties props) {
        return new HttpFeed(mapper, ingest, clock, props.http().maxBody().toBytes());
    }

    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<IngestRequestFilter> ingestRequestFilter(HubProperties props) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(
                new IngestRequestFilter(props.http().maxBody().toBytes()));
        registration.addUrlPatterns("/ingest/*", "/bof2/*");
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
        return registration;
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

    /** A configured feed, or — for convenience — a connector id used as a feed id with default policies. */
    private static FeedSettings feed(String id, HubProperties props, ConnectorCatalog connectors) {
        HubProperties.Feed f = props.feeds().get(id);
        if (f != null) {
            return new FeedSettings(id, f.connector() == null ? id : f.connector(), f.acceptUnknownCameras(), f.enabled(),
                    f.apiKeys().stream().map(k -> k.toLowerCase(java.util.Locale.ROOT)).toList(), f.allow());
        }
        return connectors.find(id).isPresent() || connectors.broken().containsKey(id)
                ? new FeedSettings(id, id, false, true) : null;
    }
}
