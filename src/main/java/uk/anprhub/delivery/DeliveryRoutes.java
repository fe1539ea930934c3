package uk.anprhub.delivery;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StatefulService;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One Camel route per target, {@code delivery-<target>}: a timer every {@code linger} that drains the backlog. The
 * route is the target's handle in Hawtio/JMX: suspending it pauses the target (durably, on every instance), resuming
 * it resumes; pausing through the API suspends it, so both views agree. Wiring only: the work is in
 * {@link TargetWorker}.
 */
public final class DeliveryRoutes extends RouteBuilder implements RouteControl {

    private static final Logger log = LoggerFactory.getLogger(DeliveryRoutes.class);
    private final DeliveryService delivery;
    // Suspending waits for the running drain to end: never on the caller's thread (it may be that drain).
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "delivery-route-control");
        t.setDaemon(true);
        return t;
    });

    /** True on the control thread while it suspends/resumes a route itself: not an operator's action to map. */
    private static final ThreadLocal<Boolean> CONTROLLING = ThreadLocal.withInitial(() -> false);

    public DeliveryRoutes(DeliveryService delivery) {
        this.delivery = delivery;
    }

    public static String routeId(String target) {
        return "delivery-" + target;
    }

    @Override
    public void configure() {
        for (TargetWorker w : delivery.workers().values()) {
            String id = w.id();
            from("timer:" + routeId(id) + "?delay=1000&period=" + Math.max(1, w.config().linger().toMillis()))
                    .routeId(routeId(id))
                    .description("Delivery to target " + id + " (" + w.config().typeFor(id) + "): suspend = pause, resume = resume")
                    .routePolicy(new PausePolicy(id))
                    .process(e -> delivery.drain(id, () -> consumerRunning(e, id))).id(routeId(id) + "-drain");
        }
        delivery.routeControl(this);
    }

    /** False as soon as the route is being suspended or stopped, so a long drain ends promptly. */
    private static boolean consumerRunning(Exchange e, String target) {
        Route route = e.getContext().getRoute(routeId(target));
        if (route == null || !(route.getConsumer() instanceof StatefulService c)) {
            return false;
        }
        return c.isRunAllowed() && !c.isSuspending() && !c.isSuspended();
    }

    @Override
    public void suspend(String target) {
        control.execute(() -> change(target, true));
    }

    @Override
    public void resume(String target) {
        control.execute(() -> change(target, false));
    }

    private void change(String target, boolean suspend) {
        if (suspend != delivery.worker(target).paused()) {
            return; // paused and resumed again (or the reverse) before this ran: follow the target's state now
        }
        CamelContext camel = getContext();
        try {
            CONTROLLING.set(true);
            ServiceStatus s = camel.getRouteController().getRouteStatus(routeId(target));
            if (suspend && s == ServiceStatus.Started) {
                camel.getRouteController().suspendRoute(routeId(target));
            } else if (!suspend && s == ServiceStatus.Suspended) {
                camel.getRouteController().resumeRoute(routeId(target));
            }
        } catch (Exception e) {
            log.warn("Cannot {} route {}: {}", suspend ? "suspend" : "resume", routeId(target), e.toString());
        } finally {
            CONTROLLING.set(false);
        }
    }

    /** Maps route suspend/resume (Hawtio, JMX) onto pause/resume; a target paused at start-up shows suspended. */
    private final class PausePolicy extends RoutePolicySupport {
        private final String target;

        PausePolicy(String target) {
            this.target = target;
        }

        @Override
        public void onStart(Route route) {
            if (delivery.worker(target).paused()) {
                DeliveryRoutes.this.suspend(target);
            }
        }

        @Override
        public void onSuspend(Route route) {
            if (CONTROLLING.get()) {
                return; // the route follows a pause already made (and maybe already undone)
            }
            delivery.pause(target, "route " + routeId(target) + " suspended");
        }

        @Override
        public void onResume(Route route) {
            if (CONTROLLING.get()) {
                return;
            }
            delivery.resume(target, "route " + routeId(target) + " resumed");
        }
    }
}
