package uk.anprhub.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matches whose hits could not be stored after the matcher's retries, kept until they are: parked in
 * {@code hotlist_hit_parked} (durable, any hub may store them), or, while the database cannot take even that, held in
 * memory and parked at the next retry. {@link #retry} stores parked hits (each once) and answers them for alerting.
 * Never logs a plate: counts and exception classes only.
 */
final class ParkedHits {

    private static final Logger log = LoggerFactory.getLogger(ParkedHits.class);
    /** Parked matches stored per transaction. */
    static final int BATCH = 500;

    private final HitStore store;
    private final ConcurrentLinkedQueue<HitStore.NewHit> unparked = new ConcurrentLinkedQueue<>();
    private final AtomicLong inTable = new AtomicLong();
    private final Object count = new Object(); // orders a park and its count against a recount

    ParkedHits(HitStore store) {
        this.store = store;
    }

    /** After the matcher gave up storing these hits: park them; with the database away, hold them in memory. */
    void park(List<HitStore.NewHit> matches) {
        try {
            synchronized (count) { // with the recount in retry: a count taken before this park never overwrites it
                store.park(matches);
                inTable.addAndGet(matches.size());
            }
            log.warn("{} hotlist hit(s) could not be stored: parked, retried until stored", matches.size());
        } catch (RuntimeException e) {
            unparked.addAll(matches);
            log.error("{} hotlist hit(s) could not be stored nor parked ({}): held in memory, retried until parked",
                    matches.size(), e.getClass().getSimpleName());
        }
    }

    /**
     * Parks what memory holds, then stores parked hits until none are left or the store fails again.
     *
     * @return the hits stored now (none stored before), to alert
     */
    List<Hit> retry(Map<String, Collection<String>> targets) {
        if (!unparked.isEmpty()) {
            List<HitStore.NewHit> held = new ArrayList<>();
            for (HitStore.NewHit h; (h = unparked.poll()) != null; ) {
                held.add(h);
            }
            try {
                store.park(held);
                log.info("{} hotlist hit(s) held in memory are parked now", held.size());
            } catch (RuntimeException e) {
                unparked.addAll(held);
                return List.of();
            }
        }
        List<Hit> stored = new ArrayList<>();
        try {
            // in batches; once a batch fails, one at a time, so a hit the database keeps refusing stays parked
            // without holding up the others behind it
            boolean single = false;
            long after = 0;
            int refusedNow = 0;
            while (true) {
                HitStore.Unparked u;
                try {
                    u = store.unpark(after, single ? 1 : BATCH, targets);
                } catch (RuntimeException e) {
                    if (!single) {
                        single = true;
                        continue;
                    }
                    Long refused = store.nextParked(after); // database away: this throws, and the retry ends
                    if (refused == null) {
                        break;
                    }
                    after = refused;
                    refusedNow++;
                    continue;
                }
                if (u.claimed() == 0) {
                    break;
                }
                stored.addAll(u.stored());
                after = u.lastId();
                if (!single && u.claimed() < BATCH) {
                    break;
                }
            }
            if (refusedNow > 0) {
                log.warn("{} parked hotlist hit(s) still refused by the database: kept parked", refusedNow);
            }
            synchronized (count) {
                inTable.set(store.parked());
            }
        } catch (RuntimeException e) { // still failing: they stay parked for the next retry
            log.warn("Parked hotlist hits still cannot be stored: {}", e.getClass().getSimpleName());
        }
        if (!stored.isEmpty()) {
            log.info("{} parked hotlist hit(s) stored", stored.size());
        }
        return stored;
    }

    /** Matches waiting to be stored: parked (as last counted) and held in memory. */
    long waiting() {
        return inTable.get() + unparked.size();
    }
}
