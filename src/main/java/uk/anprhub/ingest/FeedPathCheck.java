package uk.anprhub.ingest;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import uk.anprhub.core.StartupProblem;

import java.util.List;

/**
 * Refuses to start when a route takes HTTP at a path that is not a declared feed path ({@link FeedPaths}): such a
 * route would sit behind the console's login and CSRF chain and miss the ingest filter's limits, and cameras would
 * get 401/403 with nobody told why.
 */
class FeedPathCheck implements ApplicationListener<ApplicationStartedEvent> {

    private final CamelContext camelContext;

    FeedPathCheck(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** After the routes started, before the hub says it is ready; an exception here stops the start (Camel's own hooks only log it). */
    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        List<String> undeclared = undeclared(camelContext.getEndpoints().stream()
                .filter(PlatformHttpEndpoint.class::isInstance).map(e -> ((PlatformHttpEndpoint) e).getPath()).toList());
        if (!undeclared.isEmpty()) {
            throw new StartupProblem("HTTP route path(s) " + undeclared + " are not declared feed paths", "routes/*.camel.yaml",
                    "cameras post to /ingest/{feedId}; a legacy path must be added to uk.anprhub.ingest.FeedPaths.FIXED");
        }
    }

    static List<String> undeclared(List<String> routePaths) {
        return routePaths.stream().filter(p -> !FeedPaths.declared(p)).toList();
    }
}
