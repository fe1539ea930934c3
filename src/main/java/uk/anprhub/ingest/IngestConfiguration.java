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

/** Wiring of the ingest feature (the core, the HTTP feeds and their front door); the logic is in the beans. */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.context.properties.EnableConfigurationProperties({IngestLimits.class, HttpFeedProperties.class, FeedsProperties.class,
        ValidationProperties.class, CameraListenerProperties.class})
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
                                QuarantineStore quarantine, MeterRegistry meters, FeedsProperties feeds, IngestLimits limits,
                                StoreProperties store, HubProperties hub,
                                org.springframework.beans.factory.ObjectProvider<ReadSink> sinks) {
        // a ReadSink bean exists only on an edge hub of the Kafka spine (anpr.spine.mode=edge); else the local store
        ReadSink sink = sinks.getIfAvailable(() -> writer::submit);
        return new IngestService(connectors, new FeedDirectory(feeds, connectors, hub.demo()), normaliser, sink, quarantine,
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
    HttpRefusals httpRefusals(MeterRegistry meters) {
        return new HttpRefusals(meters);
    }

    @Bean
    HttpFeed httpFeed(ObjectMapper mapper, IngestService ingest, HttpFeedGate gate, Clock clock, HttpFeedProperties http,
                      HttpRefusals refusals) {
        return new HttpFeed(mapper, ingest, gate, clock, http.maxBody().toBytes(), refusals);
    }

    /** Cameras on a port of their own when {@code anpr.http.camera-listener.port} is set; else no bean. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression("${anpr.http.camera-listener.port:0} > 0")
    CameraListener cameraListener(CameraListenerProperties settings, HttpFeedProperties http, IngestReadiness readiness,
                                  HttpFeedGate gate, HttpAdmission admission, HttpRefusals refusals, HttpFeed feed,
                                  org.apache.camel.ProducerTemplate camel, org.springframework.core.env.Environment env) {
        CameraListenerTls.check(settings, env);
        var workers = new java.util.concurrent.ThreadPoolExecutor(settings.workers(), settings.workers(), 60, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(settings.workers()), // bounded: beyond it 503, never a growing queue
                new io.netty.util.concurrent.DefaultThreadFactory("camera-ingest", true), new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
        CameraIngest ingest = settings.viaCamel() ? CameraIngest.viaCamel(camel) : CameraIngest.direct(feed);
        CameraDoor door = new CameraDoor(readiness, gate, admission, refusals, feed, ingest, http.maxBody().toBytes(),
                http.bodyTimeout(), new java.util.concurrent.Semaphore(http.maxConcurrentBodies()), Duration.ofSeconds(60), workers);
        return new CameraListener(settings, door, workers, refusals);
    }

    @Bean
    HttpAdmission httpAdmission(HttpFeedProperties load, MeterRegistry meters) {
        return HttpAdmission.of(load, meters);
    }

    /** Spring's own async timeout above anything the route waits for ({@link HttpFeedProperties#asyncTimeout}). */
    @Bean
    org.springframework.web.servlet.config.annotation.WebMvcConfigurer ingestAsyncTimeout(HttpFeedProperties load, StoreProperties store) {
        long millis = load.asyncTimeout(store.commitTimeout()).toMillis();
        return new org.springframework.web.servlet.config.annotation.WebMvcConfigurer() {
            @Override
            public void configureAsyncSupport(org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer c) {
                c.setDefaultTimeout(millis);
            }
        };
    }

    @Bean
    FilterRegistrationBean<IngestRequestFilter> ingestRequestFilter(HttpFeedProperties http, HttpFeedGate gate,
                                                                    ObjectMapper mapper, HttpRefusals refusals,
                                                                    HttpAdmission admission, IngestReadiness readiness,
                                                                    CameraListenerProperties listener) {
        var registration = new FilterRegistrationBean<>(new IngestRequestFilter(http.maxBody().toBytes(),
                http.bodyTimeout(), http.maxConcurrentBodies(), gate, mapper, refusals, admission, readiness, listener.opsPortClosedToCameras()));
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
}
