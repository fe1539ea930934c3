package uk.anprhub.transport.mq;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * camel-paho-mqtt5 whose consumers install their message callback <em>before</em> they connect. Registered as the
 * {@code paho-mqtt5} component (bean of that name), so route files use the standard URI and options.
 *
 * <p>Why: camel-paho-mqtt5 4.17's consumer connects first and sets its callback afterwards. With a persistent
 * session ({@code cleanStart=false}) the broker sends the messages it kept for the session right after CONNACK; the
 * ones that arrive before the callback exists are dropped by Paho. Without manual acknowledgement Paho still
 * acknowledges them (silent loss); with {@code manualAcksEnabled} they stay unacknowledged until some later
 * reconnect, and they count against {@code receiveMaximum}, so a feed can stall completely after a hub restart.
 * Measured against an MQTT 5 broker in MqttTransportIT: messages published while the hub was down arrived only
 * with this fix.
 *
 * <p>How: the consumer creates the client, sets an early callback and connects; the early callback waits until the
 * standard start-up has finished (exchange factory, Camel's own callback, subscription) and then hands each message
 * to the standard exchange creation and routing, so acknowledgement and headers are exactly camel-paho-mqtt5's.
 */
@org.apache.camel.spi.annotations.Component("paho-mqtt5") // so the standard option configurers apply
public class SafePahoMqtt5Component extends PahoMqtt5Component {

    private static final Logger log = LoggerFactory.getLogger(SafePahoMqtt5Component.class);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (getClient() != null) { // a shared client is connected elsewhere: nothing to fix here
            return super.createEndpoint(uri, remaining, parameters);
        }
        PahoMqtt5Configuration config = getConfiguration().copy();
        SafeEndpoint endpoint = new SafeEndpoint(uri, remaining, this, config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    static final class SafeEndpoint extends PahoMqtt5Endpoint {

        SafeEndpoint(String uri, String topic, PahoMqtt5Component component, PahoMqtt5Configuration configuration) {
            super(uri, topic, component, configuration);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            SafeConsumer consumer = new SafeConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }

        MqttConnectionOptions connectionOptions() {
            return createMqttConnectionOptions();
        }

        MqttClient newClient() throws MqttException {
            PahoMqtt5Configuration c = getConfiguration();
            String id = c.getClientId() != null ? c.getClientId() : generateClientId();
            return new MqttClient(c.getBrokerUrl(), id, createMqttClientPersistence(c));
        }
    }

    static final class SafeConsumer extends PahoMqtt5Consumer {

        private volatile MqttClient own;
        private volatile CountDownLatch started;

        SafeConsumer(SafeEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected void doStart() throws Exception {
            SafeEndpoint endpoint = (SafeEndpoint) getEndpoint();
            CountDownLatch latch = new CountDownLatch(1);
            started = latch;
            MqttClient client = endpoint.newClient();
            client.setManualAcks(endpoint.getConfiguration().isManualAcksEnabled());
            client.setCallback(new EarlyCallback(latch));
            try {
                client.connect(endpoint.connectionOptions());
                own = client;
                setClient(client);
                super.doStart(); // the client is set: installs camel-paho-mqtt5's callback and subscribes
            } catch (Exception e) {
                closeQuietly(client);
                own = null;
                throw e;
            } finally {
                latch.countDown();
            }
        }

        @Override
        protected void doStop() throws Exception {
            MqttClient client = own;
            own = null;
            super.doStop(); // does not disconnect a client it did not create
            if (client != null) {
                try {
                    if (client.isConnected()) {
                        if (getEndpoint().getConfiguration().isCleanStart()) {
                            client.unsubscribe(getEndpoint().getTopic());
                        }
                        client.disconnect();
                    }
                } finally {
                    closeQuietly(client);
                }
            }
        }

        private static void closeQuietly(MqttClient client) {
            try {
                client.close();
            } catch (MqttException e) {
                log.debug("MQTT client close: {}", e.getMessage());
            }
        }

        /** Receives what the broker sends between CONNACK and camel-paho-mqtt5's own callback. */
        private final class EarlyCallback implements MqttCallback {
            private final CountDownLatch latch;

            EarlyCallback(CountDownLatch latch) {
                this.latch = latch;
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                if (!latch.await(60, TimeUnit.SECONDS) || isStoppingOrStopped()) {
                    return; // not acknowledged: the broker re-delivers it on the next connection
                }
                Exchange exchange = createExchange(message, topic);
                AsyncCallback callback = defaultConsumerCallback(exchange, true);
                getAsyncProcessor().process(exchange, callback);
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                log.debug("MQTT disconnected before start-up completed: {}", response.getReasonString());
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                log.debug("MQTT error before start-up completed: {}", exception.getMessage());
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        }
    }
}
