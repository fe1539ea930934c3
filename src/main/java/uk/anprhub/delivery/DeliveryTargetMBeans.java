package uk.anprhub.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import uk.anprhub.audit.AuditLog;

import javax.management.JMException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@link DeliveryTargetMBean} per target on the platform MBean server (where Jolokia and Hawtio look). A name
 * already taken (a second hub context in one JVM, as tests run) is replaced: the latest hub answers.
 */
public final class DeliveryTargetMBeans implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryTargetMBeans.class);

    private final DeliveryService delivery;
    private final AuditLog audit;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();
    /** Which hub registered each name last: closing an older hub must not unregister a newer one's MBean. */
    private static final Map<ObjectName, DeliveryTargetMBeans> OWNERS = new java.util.concurrent.ConcurrentHashMap<>();

    public DeliveryTargetMBeans(DeliveryService delivery, AuditLog audit) {
        this.delivery = delivery;
        this.audit = audit;
        register();
    }

    public static ObjectName name(String target) {
        try {
            return new ObjectName("uk.anprhub:type=DeliveryTarget,name=" + (target.matches("[A-Za-z0-9._-]+") ? target : ObjectName.quote(target)));
        } catch (JMException e) {
            throw new IllegalArgumentException("target id " + target + " cannot name an MBean", e);
        }
    }

    /** (Re-)registers this hub's MBeans, replacing any of the same name. */
    public synchronized void register() {
        for (String id : delivery.workers().keySet()) {
            ObjectName name = name(id);
            try {
                if (server.isRegistered(name)) {
                    server.unregisterMBean(name);
                }
                server.registerMBean(new Described(new Target(id)), name);
                OWNERS.put(name, this);
                if (!registered.contains(name)) {
                    registered.add(name);
                }
            } catch (JMException e) {
                log.warn("Delivery target {}: MBean {} not registered ({})", id, name, e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public synchronized void close() {
        for (ObjectName name : registered) {
            if (!OWNERS.remove(name, this)) {
                continue; // another hub in this JVM has registered its own since
            }
            try {
                server.unregisterMBean(name);
            } catch (JMException e) {
                // already gone
            }
        }
        registered.clear();
    }

    /** The calling account (Jolokia runs operations on the request's thread), else "jmx" (a plain JMX client). */
    static String caller() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        return who == null ? "jmx" : who.getName();
    }

    private final class Target implements DeliveryTargetMBean {
        private final String id;

        Target(String id) {
            this.id = id;
        }

        private TargetStatus status() {
            return delivery.status(id);
        }

        @Override
        public long getBacklog() {
            return status().backlog();
        }

        @Override
        public long getLagSeconds() {
            return status().lagSeconds();
        }

        @Override
        public long getDeadLetters() {
            return status().deadLetters();
        }

        @Override
        public String getBreakerState() {
            return status().breaker();
        }

        @Override
        public boolean isPaused() {
            return status().paused();
        }

        @Override
        public String getPauseReason() {
            return status().pausedReason();
        }

        @Override
        public long getDrainEtaSeconds() {
            return status().drainEtaSeconds();
        }

        @Override
        public String getLastError() {
            return status().lastError();
        }

        // One audit row per operation, with the caller: the service's own row (delivery.pause, delivery.resume,
        // delivery.replay, delivery.probe-now) written as the calling account; Jolokia's guard adds none for these.

        @Override
        public String pause(String why) {
            String w = AuditLog.requireWhy(why);
            asCaller(() -> delivery.pause(id, w));
            return "paused: " + w;
        }

        @Override
        public String resume(String why) {
            String w = AuditLog.requireWhy(why);
            asCaller(() -> delivery.resume(id, w));
            return "resumed";
        }

        @Override
        public String probeNow() {
            delivery.probeNow(id, caller());
            return "breaker reset; sending at the next poll";
        }

        @Override
        public String replayDeadLetters(String why) {
            String w = AuditLog.requireWhy(why);
            Replay[] r = new Replay[1];
            asCaller(() -> r[0] = delivery.replayDeadLetters(new DeadLetters.Filter(id, null, null, null, null, "DEAD"), w));
            return "queued " + r[0].queued() + " read(s), replay " + r[0].replayId();
        }
    }

    /**
     * Runs an action whose audit row names the logged-in account: Jolokia's caller as it is, a plain JMX client
     * (no Spring Security context on its thread) as "jmx" rather than "system".
     */
    static void asCaller(Runnable action) {
        SecurityContext before = SecurityContextHolder.getContext();
        if (before.getAuthentication() != null) {
            action.run();
            return;
        }
        SecurityContext jmx = SecurityContextHolder.createEmptyContext();
        jmx.setAuthentication(new UsernamePasswordAuthenticationToken("jmx", null, List.of()));
        SecurityContextHolder.setContext(jmx);
        try {
            action.run();
        } finally {
            SecurityContextHolder.setContext(before);
        }
    }

    /** Parameter names and descriptions for Hawtio (a plain StandardMBean shows p1, p2 …). */
    private static final class Described extends StandardMBean {
        Described(DeliveryTargetMBean target) {
            super(target, DeliveryTargetMBean.class, false);
        }

        @Override
        protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
            return "why";
        }

        @Override
        protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
            return "why (at least 5 characters; audited)";
        }

        @Override
        protected String getDescription(MBeanOperationInfo op) {
            return switch (op.getName()) {
                case "pause" -> "Pause delivery to this target on every instance (audited)";
                case "resume" -> "Resume delivery to this target (audited)";
                case "probeNow" -> "Close the circuit breaker and send at once instead of waiting (audited)";
                case "replayDeadLetters" -> "Re-queue every dead letter of this target (audited)";
                default -> op.getDescription();
            };
        }
    }
}
