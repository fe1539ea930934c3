package uk.anprhub.ingest;

import uk.anprhub.connector.ConnectorCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Feed id to {@link FeedSettings}: a feed declared under {@code anpr.feeds}, or a connector id used as a feed id with
 * default policies — usable by the transports whose own configuration names it (TCP, FTP, Kafka, MQTT), over HTTP
 * only in demo mode. Null for neither. Settings come from start-up configuration, so each feed is resolved once.
 */
final class FeedDirectory implements Function<String, FeedSettings> {

    private final FeedsProperties props;
    private final ConnectorCatalog connectors;
    private final boolean demo;
    private final Map<String, FeedSettings> resolved = new ConcurrentHashMap<>();

    FeedDirectory(FeedsProperties props, ConnectorCatalog connectors, boolean demo) {
        this.props = props;
        this.connectors = connectors;
        this.demo = demo;
    }

    @Override
    public FeedSettings apply(String feedId) {
        return feedId == null ? null : resolved.computeIfAbsent(feedId, this::resolve);
    }

    private FeedSettings resolve(String id) {
        FeedsProperties.Feed f = props.feeds().get(id);
        if (f != null) {
            List<String> allowlist = new ArrayList<>(f.allowlist());
            allowlist.addAll(f.allow()); // the deprecated key, applied as the allowlist (OpenFeedWarnings says so)
            return new FeedSettings(id, f.connector() == null ? id : f.connector(), f.acceptUnknownCameras(), f.enabled(),
                    f.apiKeys().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList(), allowlist, f.http());
        }
        return connectors.find(id).isPresent() || connectors.broken().containsKey(id)
                ? new FeedSettings(id, id, false, true, List.of(), List.of(), demo) : null;
    }
}
