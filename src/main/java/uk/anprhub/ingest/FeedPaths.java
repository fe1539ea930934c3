package uk.anprhub.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one declared place for the HTTP paths cameras post to. The security chain of the feeds (no login, no CSRF, no
 * session), the ingest filter (body limits, admission, feed gate) and the route check at start all read it, so a route
 * at an undeclared path can never fall silently under the console's login chain: {@link FeedPathCheck} refuses to start.
 */
public final class FeedPaths {

    /** Every feed by id: {@code POST /ingest/<feedId>}. */
    public static final String INGEST = "/ingest/";

    /**
     * Feeds at a path of their own, path to feed id: the legacy BOF2 endpoint of routes/bof2-inputcapture.camel.yaml,
     * kept so old BOF2 senders need no change. A route at another path is added here.
     */
    public static final Map<String, String> FIXED = Map.of("/bof2/services/inputcapturewebservice", "bof2-soap");

    private FeedPaths() {
    }

    /** Ant patterns of every feed path, for Spring Security's matcher. */
    public static String[] securityPatterns() {
        List<String> p = new ArrayList<>(List.of(INGEST + "**"));
        p.addAll(FIXED.keySet());
        return p.toArray(String[]::new);
    }

    /** Servlet URL patterns of every feed path, for the ingest filter's registration. */
    static String[] servletPatterns() {
        List<String> p = new ArrayList<>(List.of(INGEST + "*"));
        p.addAll(FIXED.keySet());
        return p.toArray(String[]::new);
    }

    /** The feed a path posts to: {@code /ingest/<id>} or a fixed path; null for anything else. */
    public static String feedOf(String path) {
        if (path.startsWith(INGEST)) {
            String id = path.substring(INGEST.length());
            return id.isEmpty() || id.indexOf('/') >= 0 ? null : id;
        }
        return FIXED.get(path);
    }

    /** Whether a Camel platform-http path (with {@code {placeholders}}) is a declared feed path. */
    static boolean declared(String routePath) {
        String p = routePath.startsWith("/") ? routePath : "/" + routePath;
        return p.equals(INGEST + "{feedId}") || FIXED.containsKey(p);
    }
}
