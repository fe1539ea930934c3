package uk.anprhub.simulator.camera;

import uk.anprhub.support.FreePorts;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import uk.anprhub.transport.mq.MqBrokers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT without the hub (its MQTT feed is covered by MqttTransportIT): the simulator's Frigate events, published at
 * QoS 1 to an Artemis MQTT 5 broker, are PUBACKed and arrive at a subscriber with varied content.
 */
class MqttSenderTest {

    @Test
    void publishesAtQos1AndCountsPubacks() throws Exception {
        int port = FreePorts.next();
        EmbeddedActiveMQ broker = MqBrokers.artemis(port);
        String url = "tcp://127.0.0.1:" + port;
        MqttClient subscriber = new MqttClient(url, "sim-test-sub", new MemoryPersistence());
        try {
            List<String> received = new ArrayList<>();
            CountDownLatch all = new CountDownLatch(20);
            subscriber.setCallback(new MqttCallback() {
                public void disconnected(MqttDisconnectResponse r) { }
                public void mqttErrorOccurred(MqttException e) { }
                public void messageArrived(String topic, MqttMessage m) {
                    synchronized (received) {
                        received.add(new String(m.getPayload()));
                    }
                    all.countDown();
                }
                public void deliveryComplete(IMqttToken t) { }
                public void connectComplete(boolean reconnect, String uri) { }
                public void authPacketArrived(int reason, MqttProperties p) { }
            });
            subscriber.connect(new MqttConnectionOptions());
            subscriber.subscribe("frigate/events", 1);

            List<String> notes = new ArrayList<>();
            VendorTemplates t = VendorTemplates.load("frigate-mqtt", Path.of("connectors"), List.of(), 3, false, notes::add);
            SimReport r = new SimRun(new SimSettings(2, 0, Duration.ofSeconds(30), 20, Duration.ZERO, 0, 0), t,
                    MqttSender.factory(url, "frigate/events")).run("mqtt", "frigate-mqtt");

            assertThat(r.failedRequests()).isZero();
            assertThat(r.sentRequests()).isEqualTo(20);
            assertThat(r.acknowledgedReads()).isEqualTo(20);
            assertThat(r.statuses()).containsEntry("puback", 20L);
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(received).doesNotHaveDuplicates();
        } finally {
            subscriber.disconnect();
            subscriber.close();
            broker.stop();
        }
    }
}
