package uk.anprhub.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import uk.anprhub.connector.ConnectorCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Says at start-up, one WARN line each, which HTTP feeds any sender may post to — every connector id in demo mode,
 * and declared feeds without {@code api-keys} or {@code allowlist} — and which feed settings are deprecated.
 */
public final class OpenFeedWarnings implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(OpenFeedWarnings.class);

    private final List<String> lines = new ArrayList<>();

    OpenFeedWarnings(FeedsProperties props, ConnectorCatalog connectors, boolean demo) {
        props.feeds().forEach((id, f) -> {
            if (!f.allow().isEmpty()) {
                lines.add("Feed " + id + ": 'allow' is deprecated, use 'allowlist' (anpr.feeds." + id
                        + ".allowlist); applied as the allowlist");
            }
            if (f.enabled() && f.http() && f.apiKeys().isEmpty() && f.allowlist().isEmpty() && f.allow().isEmpty()) {
                lines.add("Feed " + id + ": open HTTP feed, any sender may post to /ingest/" + id + " (set anpr.feeds."
                        + id + ".api-keys or .allowlist, or .http=false when it is a feed of another transport)");
            }
        });
        if (demo) {
            Set<String> open = new TreeSet<>(connectors.all().keySet());
            open.addAll(connectors.broken().keySet());
            open.removeAll(props.feeds().keySet());
            lines.add("DEMO MODE (anpr.demo=true): " + open.size() + " connector ids are open HTTP feeds with no key and "
                    + "no allowlist, never run a production hub like this: " + String.join(", ", open));
        }
    }

    /** The warnings, as logged. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void run(ApplicationArguments args) {
        lines.forEach(log::warn);
    }
}
