package uk.anprhub.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;
import java.util.Map;

/**
 * Declared feeds ({@code anpr.feeds.<id>.*}).
 *
 * @param feeds by feed id: {@code connector} (default: the feed id), {@code accept-unknown-cameras} (false),
 *              {@code enabled} (true), {@code api-keys} and {@code allowlist} (HTTP sender checks), {@code http}
 *              (true); see {@link Feed}
 */
@ConfigurationProperties("anpr")
public record FeedsProperties(Map<String, Feed> feeds) {

    public FeedsProperties {
        feeds = feeds == null ? Map.of() : feeds;
    }

    /**
     * A declared feed. Declaring it under {@code anpr.feeds} makes it an HTTP feed ({@code POST /ingest/<id>})
     * unless {@code http} is false; feeds of other transports are declared by their transport's settings and need an
     * entry here only for another connector or policy.
     *
     * @param connector            the connector that decodes the feed's payloads; unset: the connector of the feed's id
     * @param acceptUnknownCameras reads of cameras missing from the registry are stored, flagged
     *                             {@code unknown-camera} (cameraId {@code UNKNOWN:<identity>}), instead of quarantined
     * @param enabled              false: the feed refuses everything
     * @param apiKeys              SHA-256 (hex) of the API keys an HTTP sender must present in {@code X-Api-Key};
     *                             empty = none needed
     * @param allowlist            addresses or CIDR ranges an HTTP sender must come from; empty = any (same key as TCP
     *                             feeds)
     * @param allow                deprecated alias of {@code allowlist} (merged into it, with a warning at start-up)
     * @param http                 false: not reachable over HTTP (a feed of another transport that only needs settings
     *                             here)
     */
    public record Feed(String connector, @DefaultValue("false") boolean acceptUnknownCameras,
                       @DefaultValue("true") boolean enabled, List<String> apiKeys, List<String> allowlist,
                       List<String> allow, @DefaultValue("true") boolean http) {
        public Feed {
            apiKeys = apiKeys == null ? List.of() : apiKeys;
            allowlist = allowlist == null ? List.of() : allowlist;
            allow = allow == null ? List.of() : allow;
        }
    }
}
