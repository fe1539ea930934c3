package uk.anprhub.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import uk.anprhub.connector.ConnectorCatalog;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * {@code uk.anprhub:type=Quarantine} on the platform MBean server: counts by reason, re-processing and connector
 * reload for ops in Hawtio, through {@link QuarantineService}. Every operation is audited with the calling account
 * (Jolokia runs behind the login, so the Spring Security context names it), else "jmx" for a direct JMX client.
 */
public final class QuarantineMBean implements QuarantineConsole {

    public static final String NAME = "uk.anprhub:type=Quarantine";
    private static final Logger log = LoggerFactory.getLogger(QuarantineMBean.class);

    private final QuarantineHeld held;
    private final QuarantineService service;

    public QuarantineMBean(QuarantineHeld held, QuarantineService service) {
        this.held = held;
        this.service = service;
    }

    @Override
    public Map<String, Long> getCountsByReason() {
        return held.byReason();
    }

    @Override
    public long getTotal() {
        return held.byReason().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String reprocess(String reason, String why) {
        String r = reason == null || reason.isBlank() || reason.equals("*") ? null : reason.strip();
        Reprocessing.Totals t = service.reprocessFromConsole(r, why, actor());
        return t.text() + (t.complete() ? "" : "; more than " + Reprocessing.MAX_PER_CALL
                + " match: continue with POST /api/v1/quarantine/reprocess?after=" + t.next());
    }

    @Override
    public String reloadConnectors(String why) {
        ConnectorCatalog.Reloaded r = service.reloadConnectorsFromConsole(why, actor());
        return r.loaded() + " connectors loaded; changed " + r.changed()
                + (r.broken().isEmpty() ? "" : "; not loaded " + r.broken());
    }

    private static String actor() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        return who == null || who.getName() == null ? "jmx" : who.getName();
    }

    /** The instance registered now: several hub contexts in one JVM (tests) register in turn, the last started answers. */
    private static QuarantineMBean registered;

    /** Registers this bean under {@link #NAME}, replacing one registered before. */
    public void register() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        synchronized (QuarantineMBean.class) {
            try {
                ObjectName name = new ObjectName(NAME);
                if (server.isRegistered(name)) {
                    server.unregisterMBean(name);
                }
                // An MXBean through StandardMBean, its interface named so Spring's MBeanExporter does not also
                // register this bean (a second registration of one MXBean fails the start)
                server.registerMBean(new StandardMBean(this, QuarantineConsole.class, true), name);
                registered = this;
            } catch (JMException e) {
                log.warn("{} not registered: {}", NAME, e.toString());
            }
        }
    }

    /** Unregisters this bean unless another context's has replaced it. */
    void unregister() {
        synchronized (QuarantineMBean.class) {
            if (registered != this) {
                return;
            }
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(NAME));
            } catch (JMException e) {
                log.debug("{} not unregistered: {}", NAME, e.toString());
            }
            registered = null;
        }
    }
}
