package uk.anprhub.simulator.camera;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

import java.io.IOException;
import java.util.UUID;

/**
 * One MQTT 5 client publishing each message at QoS 1; acknowledged = the broker's PUBACK (the synchronous client
 * waits for it). The broker has accepted the message then; the hub commits it later, when it consumes it.
 */
final class MqttSender implements Sender {

    private final MqttClient client;
    private final String topic;

    private MqttSender(String url, String topic) throws IOException {
        this.topic = topic;
        try {
            client = new MqttClient(url, "anpr-camera-sim-" + UUID.randomUUID(), new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setConnectionTimeout(5);
            client.setTimeToWait(60_000);
            client.connect(o);
        } catch (MqttException e) {
            throw new IOException("MQTT connect to " + url + " failed: " + e.getMessage(), e);
        }
    }

    static Factory factory(String url, String topic) {
        return () -> new MqttSender(url, topic);
    }

    @Override
    public Ack send(Message m) throws IOException {
        try {
            client.publish(topic, m.body(), 1, false);
            return Ack.acknowledged("puback", m.reads());
        } catch (MqttException e) {
            throw new IOException("MQTT publish failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            client.disconnect();
            client.close();
        } catch (MqttException ignored) {
            // closing
        }
    }
}
