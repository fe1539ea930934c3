package uk.anprhub.ingest;

import java.util.List;

/**
 * One ingest feed: which connector decodes it and its policies ({@code anpr.feeds.<id>.*}). A connector id used
 * as a feed id without configuration gets the defaults: every transport that names it in its own configuration
 * (TCP, FTP, Kafka, MQTT) may use it, HTTP only in demo mode.
 *
 * @param apiKeySha256 SHA-256 (lower-case hex) of the keys an HTTP sender must present; empty = none needed
 * @param allowlist    addresses or CIDR blocks an HTTP sender must come from; empty = any
 * @param http         whether {@code POST /ingest/<id>} may reach it
 */
public record FeedSettings(String id, String connector, boolean acceptUnknownCameras, boolean enabled,
                           List<String> apiKeySha256, List<String> allowlist, boolean http) {

    public FeedSettings {
        apiKeySha256 = List.copyOf(apiKeySha256);
        allowlist = List.copyOf(allowlist);
    }

    /** Open to any HTTP sender: no key, no allowlist. */
    public boolean open() {
        return apiKeySha256.isEmpty() && allowlist.isEmpty();
    }
}
