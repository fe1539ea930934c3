package uk.anprhub.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.access.AddressAllowlist;
import uk.anprhub.ingest.IngestOutcome.Refusal;
import uk.anprhub.ingest.IngestOutcome.Refused;
import uk.anprhub.normalise.Normaliser;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Who may post to an HTTP feed, decided from the request line and headers alone — before a byte of the body is
 * read: the feed must exist and be open to HTTP (404), the sender's address in its allowlist (403) and its
 * {@code X-Api-Key} one of the feed's keys (401). Servlet-free: Tomcat's front door and the camera listener both ask it.
 */
public final class HttpFeedGate {

    private static final Logger log = LoggerFactory.getLogger(HttpFeedGate.class);

    private final Function<String, FeedSettings> feeds;
    private final Map<String, AddressAllowlist> allowlists = new ConcurrentHashMap<>();

    public HttpFeedGate(Function<String, FeedSettings> feeds) {
        this.feeds = feeds;
    }

    /** The refusal, or null when the sender may post its body to the feed; {@code apiKey} is the X-Api-Key header, null when absent. */
    public Refused check(String feedId, String remoteAddr, String apiKey) {
        FeedSettings feed = feedId == null ? null : feeds.apply(feedId);
        if (feed == null || !feed.enabled() || !feed.http()) {
            // Same answer for "no such feed" and "not an HTTP feed": no probing for the feeds of other transports.
            return new Refused(Refusal.UNKNOWN_FEED, "no enabled HTTP feed '" + feedId + "'");
        }
        AddressAllowlist allow = allowlists.computeIfAbsent(feed.id(), id -> AddressAllowlist.of(feed.allowlist()));
        if (!allow.allows(remoteAddr)) {
            log.warn("Feed {}: refused a sender from {} (not in the feed's allowlist)", feed.id(), remoteAddr);
            return new Refused(Refusal.FORBIDDEN, "this address may not post to feed " + feed.id());
        }
        if (!feed.apiKeySha256().isEmpty() && !validKey(feed, apiKey)) {
            log.warn("Feed {}: refused a sender from {} (missing or wrong X-Api-Key)", feed.id(), remoteAddr);
            return new Refused(Refusal.UNAUTHORISED, "feed " + feed.id() + " needs a valid X-Api-Key");
        }
        return null;
    }

    private static boolean validKey(FeedSettings feed, String key) {
        byte[] presented = key == null ? new byte[0]
                : Normaliser.sha256(key.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String expected : feed.apiKeySha256()) {
            ok |= MessageDigest.isEqual(presented, expected.getBytes(StandardCharsets.US_ASCII)); // constant time
        }
        return ok;
    }
}
