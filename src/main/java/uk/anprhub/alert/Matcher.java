package uk.anprhub.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.hotlist.HotlistIndex;
import uk.anprhub.hotlist.Hotlists;
import uk.anprhub.store.CommitListener;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Matches every committed read against the hotlist index, off the commit path: the store's listener thread only
 * offers reads to a bounded queue; this class's own thread matches them and hands the matches on. When the queue is
 * full a read is not matched: it is counted ({@code anpr_hotlist_match_dropped_total}) and logged by count, and
 * neither the commit nor the listener thread ever waits (docs/hotlists.md#when-matching-falls-behind).
 */
final class Matcher implements CommitListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Matcher.class);
    private static final int BATCH = 1_000;

    private final Hotlists hotlists;
    private final Clock clock;
    private final Consumer<List<HitStore.NewHit>> onMatches;
    private final BlockingQueue<Committed> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    Matcher(Hotlists hotlists, Clock clock, int queueSize, Consumer<List<HitStore.NewHit>> onMatches) {
        this.hotlists = hotlists;
        this.clock = clock;
        this.onMatches = onMatches;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.thread = new Thread(this::loop, "anpr-hotlist-matcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** On the store's listener thread: never blocks. */
    @Override
    public void committed(List<Committed> reads) {
        for (Committed r : reads) {
            if (r.vrm() != null && !queue.offer(r) && dropped.getAndIncrement() % 10_000 == 0) {
                log.warn("Hotlist matching behind: {} read(s) not matched so far (queue of {} full)", dropped.get(),
                        queue.size());
            }
        }
    }

    private void loop() {
        List<Committed> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Committed first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                List<HitStore.NewHit> hits = match(batch);
                matched.addAndGet(batch.size());
                if (!hits.isEmpty()) {
                    onMatches.accept(hits);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) { // keep matching; by class only (a message could quote a plate)
                log.warn("Hotlist matching of {} read(s) failed: {}", batch.size(), e.getClass().getName());
            } finally {
                batch.clear();
            }
        }
    }

    List<HitStore.NewHit> match(List<Committed> reads) {
        HotlistIndex index = hotlists.index();
        if (index.size() == 0) {
            return List.of();
        }
        long now = clock.millis();
        List<HitStore.NewHit> hits = new ArrayList<>();
        for (Committed r : reads) {
            for (HotlistIndex.Match m : index.match(r.vrm(), now)) {
                hits.add(new HitStore.NewHit(r.readId(), r.vrm(), r.cameraId(), r.capturedAt(), r.committedAt(),
                        m.listId(), m.entryId(), kind(m, r), m.priority()));
            }
        }
        return hits;
    }

    /**
     * The camera could not read the whole plate and its VRM is the vendor's best guess (flag vrm-best-guess): an
     * exact match of the guess is reported as partial, so the officer knows characters were guessed.
     */
    private static String kind(HotlistIndex.Match m, Committed r) {
        return r.vrmBestGuess() && HotlistIndex.EXACT.equals(m.kind()) ? HotlistIndex.PARTIAL : m.kind();
    }

    long dropped() {
        return dropped.get();
    }

    long matched() {
        return matched.get();
    }

    int waiting() {
        return queue.size();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
