package uk.anprhub.transport.mq;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.support.TestReads;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MQTT transport end to end (routes/mqtt-frigate-events.camel.yaml): a real MQTT 5 broker, Frigate events
 * published with QoS 1 by a real Paho client, the real hub, real PostgreSQL.
 */
class MqttTransportIT extends MqHubIT {

    static final String ROUTE = "mqtt-frigate-events";
    static final String TOPIC = "frigate/events";
    static final String[] CAMERAS = {"front_door", "driveway_cam"}; // src/test/resources/cameras/demo-frigate.yaml

    @Autowired
    MqttIngest ingest;
    @Autowired
    MeterRegistry meters;

    final FrigateEvents events = new FrigateEvents();
    MqttClient publisher;

    @BeforeEach
    void connect() throws Exception {
        publisher = new MqttClient(BROKERS.mqttUrl, "it-publisher-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        publisher.connect(o);
        await("feed connected", Duration.ofSeconds(20), () -> camel.getRouteController().getRouteStatus(ROUTE).isStarted()
                && !ingest.isHolding(ROUTE));
    }

    @AfterEach
    void disconnect() throws Exception {
        publisher.disconnect();
        publisher.close();
    }

    @Test
    void endEventsAreStoredOnceOtherEventsYieldNothingAndAcknowledgedMessagesAreNotRedelivered() throws Exception {
        int quarantined = quarantined();
        double duplicates = duplicates();
        List<String> ends = plates(20);
        List<String> updates = plates(5);
        for (int i = 0; i < ends.size(); i++) {
            publish(events.end(ends.get(i), CAMERAS[i % 2]));
            if (i < updates.size()) {
                publish(events.update(updates.get(i), CAMERAS[i % 2]));
            }
        }
        await("20 end events stored", Duration.ofSeconds(30), () -> countVrms(ends) == ends.size());
        assertThat(db().queryForObject("select count(distinct camera_id) from nas_read where vrm = any(?)", Integer.class,
                (Object) ends.toArray(String[]::new))).isEqualTo(2);
        assertThat(countVrms(updates)).as("update events yield no read").isZero();
        assertThat(quarantined()).as("nor a quarantine row").isEqualTo(quarantined);

        // Every message was acknowledged after its commit: a new connection of the same session gets nothing again.
        camel.getRouteController().stopRoute(ROUTE);
        camel.getRouteController().startRoute(ROUTE);
        org.awaitility.Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(3500)).until(() -> duplicates() == duplicates);
        assertThat(duplicates()).as("no re-delivery after reconnect").isEqualTo(duplicates);
        assertThat(countVrms(ends)).isEqualTo(20);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void whileTheStoreIsDownMessagesAreHeldUnacknowledgedAndAllArriveOnceAfterItReturns(CapturedOutput output) throws Exception {
        store().down();
        List<String> ends = plates(40); // more than receiveMaximum (32): the rest waits at the broker
        for (int i = 0; i < ends.size(); i++) {
            publish(events.end(ends.get(i), CAMERAS[i % 2]));
        }
        await("the feed holds the message", Duration.ofSeconds(10), () -> ingest.isHolding(ROUTE));
        org.awaitility.Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(3500)).until(() -> countVrms(ends) == 0); // several failed tries with back-off
        assertThat(countVrms(ends)).isZero();

        store().up();
        await("all 40 stored after the store returned", Duration.ofSeconds(30), () -> countVrms(ends) == 40);
        assertThat(ingest.isHolding(ROUTE)).isFalse();

        // None was acknowledged before its commit and all were after: a new connection gets nothing again.
        double duplicates = duplicates();
        camel.getRouteController().stopRoute(ROUTE);
        camel.getRouteController().startRoute(ROUTE);
        org.awaitility.Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(3500)).until(() -> duplicates() == duplicates);
        assertThat(duplicates()).isEqualTo(duplicates);
        assertThat(countVrms(ends)).isEqualTo(40);
        for (String vrm : ends) {
            assertThat(output.getAll()).as("plates never logged").doesNotContain(vrm);
        }
    }

    @Test
    void messagesPublishedWhileTheHubIsDisconnectedArriveWhenItReconnects() throws Exception {
        camel.getRouteController().stopRoute(ROUTE); // the hub's client disconnects; its session stays at the broker
        List<String> ends = plates(5);
        for (int i = 0; i < ends.size(); i++) {
            publish(events.end(ends.get(i), CAMERAS[i % 2]));
        }
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(2300)).until(() -> countVrms(ends) == 0);
        assertThat(countVrms(ends)).isZero();
        camel.getRouteController().startRoute(ROUTE); // a new client instance, same client id, cleanStart=false
        await("messages queued for the session delivered", Duration.ofSeconds(20), () -> countVrms(ends) == 5);
    }

    /** Issue 10 item 7: eight poison events (a non-finite score) once stopped the feed; now each is one quarantine row. */
    @Test
    void poisonEventsAreQuarantinedOnceEachAndTheFeedGoesOn() throws Exception {
        int quarantined = quarantined();
        List<String> poisoned = plates(8);
        for (int i = 0; i < poisoned.size(); i++) {
            String event = new String(events.end(poisoned.get(i), CAMERAS[i % 2]), java.nio.charset.StandardCharsets.UTF_8)
                    .replaceAll("\"recognized_license_plate_score\":[0-9.]+", "\"recognized_license_plate_score\":1e999");
            assertThat(event).contains("1e999");
            publish(event.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<String> good = plates(5);
        for (int i = 0; i < good.size(); i++) {
            publish(events.end(good.get(i), CAMERAS[i % 2]));
        }
        await("the good events after the poison stored", Duration.ofSeconds(30), () -> countVrms(good) == good.size());
        await("each poison event quarantined once", Duration.ofSeconds(10), () -> quarantined() == quarantined + 8);
        assertThat(db().queryForObject("select count(*) from quarantine where feed = 'frigate-mqtt' and reason = 'malformed-field'"
                + " and received_at > now() - interval '5 minutes'", Integer.class)).isGreaterThanOrEqualTo(8);
        assertThat(countVrms(poisoned)).isZero();
        assertThat(ingest.isHolding(ROUTE)).as("the feed is not stuck on the poison").isFalse();
    }

    private void publish(byte[] payload) throws Exception {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        publisher.publish(TOPIC, m);
    }

    private static List<String> plates(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestReads.plate().replace(" ", ""));
        }
        return out;
    }

    private int quarantined() {
        return db().queryForObject("select count(*) from quarantine where feed = 'frigate-mqtt'", Integer.class);
    }

    private double duplicates() {
        Counter c = meters.find("anpr_reads_duplicate_total").tag("feed", "frigate-mqtt").counter();
        return c == null ? 0 : c.count();
    }
}
