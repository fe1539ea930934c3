package uk.anprhub.hotlist;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The index matching uses now. Rebuilt from the store on a thread of its own after every change made through this
 * hub, and when the periodic check sees the version moved (a change made by another hub on the same database);
 * until a rebuild finishes the previous index keeps matching.
 */
public final class Hotlists implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Hotlists.class);

    private final HotlistStore store;
    private final Clock clock;
    private final ScheduledExecutorService loader;
    private volatile HotlistIndex index = HotlistIndex.empty();
    private volatile Consumer<HotlistIndex> onLoad = i -> { };

    Hotlists(HotlistStore store, Clock clock, java.time.Duration reloadEvery) {
        this.store = store;
        this.clock = clock;
        this.loader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anpr-hotlist-loader");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, reloadEvery.toMillis());
        loader.execute(this::load);
        loader.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    }

    public HotlistIndex index() {
        return index;
    }

    /** Told each new index (metrics register the lists' series). */
    public void onLoad(Consumer<HotlistIndex> consumer) {
        this.onLoad = consumer;
        consumer.accept(index);
    }

    /** After a change through this hub: rebuild soon, off the caller's thread. */
    void changed() {
        loader.execute(this::reloadIfChanged);
    }

    private void reloadIfChanged() {
        try {
            if (store.version() != index.version()) {
                load();
            }
        } catch (RuntimeException e) {
            log.warn("Hotlists: version check failed ({}); the loaded index keeps matching", e.getClass().getSimpleName());
        }
    }

    private void load() {
        long start = System.nanoTime();
        try {
            HotlistIndex fresh = store.load(clock.instant());
            index = fresh;
            onLoad.accept(fresh);
            log.info("Hotlists: {} list(s), {} active entries loaded in {} ms (version {})", fresh.lists().size(),
                    fresh.size(), (System.nanoTime() - start) / 1_000_000, fresh.version());
        } catch (RuntimeException e) {
            log.warn("Hotlists: index not loaded ({}); the previous one keeps matching", e.getClass().getSimpleName());
        }
    }

    /** Waits until the index holds this version or later (tests, and the API's answer after a change). */
    public boolean awaitVersion(long version, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (index.version() < version) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    long storedVersion() {
        return store.version();
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
