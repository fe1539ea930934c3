package uk.anprhub.delivery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.support.HubIT;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 15 item 2 (delivery): the target MBean Hawtio shows, its state and its audited operations, over the platform MBean server. */
class DeliveryTargetMBeanIT extends HubIT {

    static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    static final String[] WHY = {String.class.getName()};

    @Autowired
    DeliveryTargetMBeans mbeans;
    @Autowired
    DeliveryService delivery;
    @Autowired
    uk.anprhub.audit.AuditLog audit;

    ObjectName nas;
    long auditBefore;

    @BeforeEach
    void thisHubsMBeans() throws Exception {
        mbeans.register(); // another test context in this JVM may have registered its own since
        nas = new ObjectName("uk.anprhub:type=DeliveryTarget,name=nas");
        auditBefore = jdbc.queryForObject("select coalesce(max(id), 0) from audit_log", Long.class);
    }

    @AfterEach
    void resumed() {
        delivery.resume("nas", "test clean-up");
    }

    @Test
    void theTargetShowsItsStateAndExactlyItsOperations() throws Exception {
        MBeanInfo info = JMX.getMBeanInfo(nas);
        assertThat(Arrays.stream(info.getAttributes()).map(MBeanAttributeInfo::getName)).containsExactlyInAnyOrder(
                "Backlog", "LagSeconds", "DeadLetters", "BreakerState", "Paused", "PauseReason", "DrainEtaSeconds", "LastError");
        assertThat(Arrays.stream(info.getOperations()).map(MBeanOperationInfo::getName))
                .containsExactlyInAnyOrder("pause", "resume", "probeNow", "replayDeadLetters");
        assertThat(info.getOperations()).filteredOn(o -> o.getName().equals("pause"))
                .allSatisfy(o -> assertThat(o.getSignature()[0].getName()).isEqualTo("why"));
        assertThat(JMX.getAttribute(nas, "BreakerState")).isIn("CLOSED", "OPEN", "HALF_OPEN");
        assertThat((Long) JMX.getAttribute(nas, "Backlog")).isGreaterThanOrEqualTo(0);
        assertThat(JMX.getAttribute(nas, "Paused")).isEqualTo(false);
        assertThat((Long) JMX.getAttribute(nas, "DrainEtaSeconds")).isGreaterThanOrEqualTo(-1);
    }

    @Test
    void pauseResumeProbeAndReplayAreAuditedWithTheCallerAndNeedAReason() throws Exception {
        assertThatThrownBy(() -> JMX.invoke(nas, "pause", new Object[]{"no"}, WHY)).hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(JMX.getAttribute(nas, "Paused")).isEqualTo(false);

        JMX.invoke(nas, "pause", new Object[]{"NAS maintenance 14:00"}, WHY);
        assertThat(JMX.getAttribute(nas, "Paused")).isEqualTo(true);
        assertThat(JMX.getAttribute(nas, "PauseReason")).isEqualTo("NAS maintenance 14:00");
        JMX.invoke(nas, "resume", new Object[]{"maintenance over"}, WHY);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> JMX.getAttribute(nas, "Paused").equals(false)); // the route follows asynchronously
        JMX.invoke(nas, "probeNow", new Object[0], new String[0]);
        assertThat(JMX.getAttribute(nas, "BreakerState")).isEqualTo("CLOSED");
        assertThat((String) JMX.invoke(nas, "replayDeadLetters", new Object[]{"NAS fixed the rejection"}, WHY)).startsWith("queued 0 read(s)");
        assertThatThrownBy(() -> JMX.invoke(nas, "replayDeadLetters", new Object[]{" "}, WHY)).hasRootCauseInstanceOf(IllegalArgumentException.class);

        // one row per operation, named by the service, with the caller ("jmx": a plain JMX client); refused calls none
        var rows = jdbc.queryForList("select actor, action, detail::text as detail from audit_log where action like 'delivery.%' and id > ? order by id", auditBefore);
        assertThat(rows).extracting(r -> r.get("action")).containsExactly("delivery.pause", "delivery.resume", "delivery.probe-now",
                "delivery.replay");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("actor")).isEqualTo("jmx");
            assertThat(r.get("detail").toString()).contains("\"target\": \"nas\"");
        });
        assertThat(rows.get(0).get("detail").toString()).contains("NAS maintenance 14:00");
        assertThat(rows.get(3).get("detail").toString()).contains("NAS fixed the rejection");
    }

    /** Two hubs in one JVM (as tests run): the later one's MBean answers, and closing the earlier one leaves it registered. */
    @Test
    void closingAnotherHubsMBeansLeavesThisHubsRegistered() throws Exception {
        DeliveryTargetMBeans other = new DeliveryTargetMBeans(delivery, audit);
        assertThat(JMX.isRegistered(nas)).isTrue();
        mbeans.register(); // this hub registers again, after the other
        other.close();
        assertThat(JMX.isRegistered(nas)).as("this hub's MBean after the other hub closed").isTrue();
        mbeans.close();
        assertThat(JMX.isRegistered(nas)).isFalse();
        mbeans.register();
        assertThat(JMX.isRegistered(nas)).isTrue();
    }
}
