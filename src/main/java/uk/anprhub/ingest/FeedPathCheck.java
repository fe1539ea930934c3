package uk.anprhub.ingest;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.spring.boot.CamelContextConfiguration;

import java.util.List;

/**
 * Refuses to start when a route takes HTTP at a path that is not a declared feed path ({@link FeedPaths}): such a
 * route would sit behind the console's login and CSRF chain and miss the ingest filter's limits, and cameras would
 * get 401/403 with nobody told why.
 */
class FeedPathCheck implements CamelContextConfiguration {

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // routes are not all added yet
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        List<String> undeclared = undeclared(camelContext.getEndpoints().stream()
                .filter(PlatformHttpEndpoint.class::isInstance).map(e -> ((PlatformHttpEndpoint) e).getPath()).toList());
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("HTTP route path(s) " + undeclared + " are not declared feed paths: cameras"
                    + " may post only to /ingest/{feedId} or a path added to uk.anprhub.ingest.FeedPaths.FIXED");
        }
    }

    static List<String> undeclared(List<String> routePaths) {
        return routePaths.stream().filter(p -> !FeedPaths.declared(p)).toList();
    }
}
