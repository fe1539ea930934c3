package uk.anprhub.delivery;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Without Camel: drains every target of a service every {@code linger} on the test's own threads, as the hub's
 * {@code delivery-<target>} timer routes do, through the same {@link DeliveryService#drain} they call.
 */
final class Polling implements AutoCloseable {

    private final ScheduledExecutorService threads;
    private volatile boolean running = true;

    private Polling(DeliveryService service) {
        threads = Executors.newScheduledThreadPool(Math.max(1, service.workers().size()), r -> {
            Thread t = new Thread(r, "delivery-poll");
            t.setDaemon(true);
            return t;
        });
        for (TargetWorker w : service.workers().values()) {
            long ms = Math.max(1, w.config().linger().toMillis());
            threads.scheduleWithFixedDelay(() -> service.drain(w.id(), () -> running), 0, ms, TimeUnit.MILLISECONDS);
        }
    }

    static Polling start(DeliveryService service) {
        return new Polling(service);
    }

    /** Stops polling and waits for the drains under way to end. */
    @Override
    public void close() {
        running = false;
        threads.shutdownNow();
        try {
            threads.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
