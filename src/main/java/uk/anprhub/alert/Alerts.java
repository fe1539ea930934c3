package uk.anprhub.alert;

import uk.anprhub.access.Roles;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.camerahealth.CameraStateChanged;
import uk.anprhub.core.ExponentialBackoff;
import uk.anprhub.hotlist.HotlistIndex;
import uk.anprhub.hotlist.Hotlists;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What happens to matches: stored as hits (with their webhook outbox rows), counted per list, streamed to the
 * subscribers who may see the list, and the webhook worker woken. Also streams camera state changes to ops and
 * acknowledgements to those who see the hit.
 */
final class Alerts {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    private static final int STORE_ATTEMPTS = 5;
    private static final ExponentialBackoff STORE_RETRY = new ExponentialBackoff(Duration.ofMillis(400), Duration.ofSeconds(4));

    private final HitStore store;
    private final Hotlists hotlists;
    private final AlertStream stream;
    private final Webhooks webhooks;
    private final ParkedHits parked;
    private final MeterRegistry meters;
    private final Map<String, Counter> hitCounters = new ConcurrentHashMap<>();

    Alerts(HitStore store, Hotlists hotlists, AlertStream stream, Webhooks webhooks, ParkedHits parked, MeterRegistry meters) {
        this.store = store;
        this.hotlists = hotlists;
        this.stream = stream;
        this.webhooks = webhooks;
        this.parked = parked;
        this.meters = meters;
        hotlists.onLoad(index -> index.lists().keySet().forEach(this::counter)); // every list's series from 0
    }

    /**
     * On the matcher's thread. A store failure is retried briefly (hits are rare; matching of later reads waits);
     * then the matches are parked, not dropped: {@link #retryParked} stores and alerts them once the store heals.
     */
    void matched(List<HitStore.NewHit> matches) {
        List<Hit> hits = null;
        for (int attempt = 1; hits == null; attempt++) {
            try {
                hits = store.insert(matches, webhooks.routing());
            } catch (RuntimeException e) {
                if (attempt >= STORE_ATTEMPTS) {
                    log.error("{} hotlist hit(s) not stored after {} attempts ({}): parking them", matches.size(), attempt,
                            e.getClass().getSimpleName());
                    parked.park(matches);
                    return;
                }
                try {
                    Thread.sleep(STORE_RETRY.delay(attempt).toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    parked.park(matches); // shutting down: keep them for the next start (or another hub)
                    return;
                }
            }
        }
        alert(hits);
    }

    /** Stores parked matches (on the housekeeping thread) and alerts the hits stored now. */
    void retryParked() {
        alert(parked.retry(webhooks.routing()));
    }

    private void alert(List<Hit> hits) {
        for (Hit h : hits) {
            counter(h.listId()).increment();
            stream.publish(new AlertStream.Event("hit", h.id(), h, h), s -> visible(h.listId(), s.roles));
        }
        if (!hits.isEmpty()) {
            webhooks.wake();
        }
    }

    /** Camera state changes go to ops. */
    void cameraChanged(CameraStateChanged change) {
        stream.publish(new AlertStream.Event("camera", null, change, null), s -> s.ops);
    }

    void acknowledged(Hit hit) {
        stream.publish(new AlertStream.Event("ack", null, Map.of("hitId", hit.id(), "ack", hit.ack()), null),
                s -> visible(hit.listId(), s.roles));
    }

    /** A list's hits are for the role the list names. */
    boolean visible(String listId, Set<String> roles) {
        HotlistIndex.ListInfo l = hotlists.index().lists().get(listId);
        return l != null && roles.contains(l.hitRole());
    }

    static boolean ops(Set<String> roles) {
        return roles.contains(Roles.OPS);
    }

    private Counter counter(String listId) {
        return hitCounters.computeIfAbsent(listId, id -> Counter.builder("anpr_hotlist_hits")
                .description("hotlist hits stored, by list id (no plates)").tag("list", id).register(meters));
    }
}
