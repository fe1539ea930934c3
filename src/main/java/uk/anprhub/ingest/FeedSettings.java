package uk.anprhub.ingest;

/**
 * One ingest feed: which connector decodes it and its policies ({@code anpr.feeds.<id>.*}). A connector id used
 * as a feed id without configuration gets the defaults.
 */
public record FeedSettings(String id, String connector, boolean acceptUnknownCameras, boolean enabled,
                           java.util.List<String> apiKeySha256, java.util.List<String> allow) {

    public FeedSettings(String id, String connector, boolean acceptUnknownCameras, boolean enabled) {
        this(id, connector, acceptUnknownCameras, enabled, java.util.List.of(), java.util.List.of());
    }
}
