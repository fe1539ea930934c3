package uk.anprhub.alert;

import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The Server-Sent Events subscribers of {@code /api/v1/alerts/stream} and the fan-out to them. Each subscriber has
 * a bounded queue drained by a small shared pool, so one slow or stalled client never holds up matching or the
 * others: a client whose queue overflows is closed, and its browser reconnects with {@code Last-Event-ID} and
 * resumes from the stored hits.
 */
final class AlertStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertStream.class);
    /** Events one subscriber may have waiting. */
    static final int SUBSCRIBER_QUEUE = 1_000;
    static final int MAX_SUBSCRIBERS = 500;

    /** One SSE event: {@code id} only for hits (resumable), null for camera and ack events. */
    record Event(String name, Long id, Object data, Hit hit) {
        /** A comment line: keeps the connection open, shows nothing. */
        static final Event COMMENT = new Event(null, null, null, null);
    }

    final class Subscriber {
        final SseEmitter emitter;
        final Set<String> roles;
        final boolean ops;
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(SUBSCRIBER_QUEUE);
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile boolean live;
        private final List<Event> held = new ArrayList<>();
        private volatile boolean closed;

        Subscriber(SseEmitter emitter, Set<String> roles, boolean ops) {
            this.emitter = emitter;
            this.roles = roles;
            this.ops = ops;
        }

        /** Queues an event; false (and the subscriber closed) when its queue is full. */
        boolean offer(Event e) {
            if (closed) {
                return false;
            }
            if (!queue.offer(e)) {
                close("behind by " + SUBSCRIBER_QUEUE + " events");
                return false;
            }
            if (scheduled.compareAndSet(false, true)) {
                pool.execute(this::drain);
            }
            return true;
        }

        /** A live event: held while the backlog is still being sent, so the order stays by id. */
        void live(Event e) {
            synchronized (held) {
                if (!live) {
                    if (held.size() < SUBSCRIBER_QUEUE) {
                        held.add(e);
                    } else {
                        close("behind while catching up");
                    }
                    return;
                }
            }
            offer(e);
        }

        /** The backlog is queued: held live events follow, those already in the backlog skipped. */
        void caughtUp(long lastBacklogId) {
            synchronized (held) {
                for (Event e : held) {
                    if (e.id() == null || e.id() > lastBacklogId) {
                        offer(e);
                    }
                }
                held.clear();
                live = true;
            }
        }

        private void drain() {
            try {
                Event e;
                while ((e = queue.poll()) != null && !closed) {
                    write(e);
                }
            } finally {
                scheduled.set(false);
                if (!queue.isEmpty() && !closed && scheduled.compareAndSet(false, true)) {
                    pool.execute(this::drain);
                }
            }
        }

        private void write(Event e) {
            try {
                if (e.name() == null) {
                    emitter.send(SseEmitter.event().comment("keep-alive"));
                    return;
                }
                SseEmitter.SseEventBuilder b = SseEmitter.event().name(e.name()).data(e.data(), MediaType.APPLICATION_JSON);
                if (e.id() != null) {
                    b.id(String.valueOf(e.id()));
                }
                emitter.send(b);
                if (e.hit() != null && latency != null) {
                    latency.record(Duration.between(e.hit().committedAt(), clock.instant()));
                }
            } catch (IOException | IllegalStateException ex) { // the client went away
                close(null);
            }
        }

        void close(String why) {
            if (!closed) {
                closed = true;
                subscribers.remove(this);
                if (why != null) {
                    log.info("Alert stream subscriber closed: {} (it resumes from the stored hits on reconnect)", why);
                }
                try {
                    emitter.complete();
                } catch (RuntimeException ignored) { // already completed by the container
                }
            }
        }
    }

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService pool;
    private final Clock clock;
    private final Timer latency;

    AlertStream(Clock clock, Timer latency, int threads) {
        this.clock = clock;
        this.latency = latency;
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "anpr-alert-stream");
            t.setDaemon(true);
            return t;
        });
    }

    /** @throws IllegalStateException when {@link #MAX_SUBSCRIBERS} are connected */
    Subscriber subscribe(SseEmitter emitter, Set<String> roles, boolean ops) {
        if (subscribers.size() >= MAX_SUBSCRIBERS) {
            throw new IllegalStateException("too many alert stream subscribers");
        }
        Subscriber s = new Subscriber(emitter, roles, ops);
        emitter.onCompletion(() -> s.close(null));
        emitter.onTimeout(() -> s.close(null));
        emitter.onError(e -> s.close(null));
        subscribers.add(s);
        return s;
    }

    /** To every subscriber the predicate admits. */
    void publish(Event e, Predicate<Subscriber> who) {
        for (Subscriber s : subscribers) {
            if (who.test(s)) {
                s.live(e);
            }
        }
    }

    void keepAlive() {
        publish(Event.COMMENT, s -> true);
    }

    int size() {
        return subscribers.size();
    }

    @Override
    public void close() {
        for (Subscriber s : subscribers) {
            s.close(null);
        }
        pool.shutdownNow();
    }
}
