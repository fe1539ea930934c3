package uk.anprhub.ingest;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Whether the hub can take reads now, as Spring Boot's {@link ReadinessState}: REFUSING_TRAFFIC is published as soon
 * as the beans exist (before the web server, the FTP server and the Camel routes start), ACCEPTING_TRAFFIC by Spring
 * Boot once the application is ready — the store migrated, the Camel context and every ingest route started — and
 * REFUSING_TRAFFIC again when the hub shuts down. Until then every transport answers "try again": HTTP 503 +
 * Retry-After ({@link IngestRequestFilter}), FTP 421 on connect; TCP feeds listen only once their routes start.
 * The readiness health group reads the same state.
 */
@Component
public class IngestReadiness implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>>, SmartInitializingSingleton {

    private final ApplicationContext context;
    private volatile boolean ready;

    public IngestReadiness(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void afterSingletonsInstantiated() {
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        ready = event.getState() == ReadinessState.ACCEPTING_TRAFFIC;
    }

    public boolean ready() {
        return ready;
    }
}
