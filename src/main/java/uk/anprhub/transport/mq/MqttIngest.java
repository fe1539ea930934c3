package uk.anprhub.transport.mq;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.ingest.IngestRoutes;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MQTT feeds into the ingest core, acknowledging after the commit. The route file consumes with camel-paho-mqtt5
 * {@code qos=1}, {@code cleanStart=false}, a session expiry, a fixed client id, {@code manualAcksEnabled=true} and a
 * {@code receiveMaximum}, and hands messages to a bounded {@code threads} pool; camel-paho-mqtt5 sends the PUBACK
 * only when the exchange completes without an exception. This processor sends the message to
 * {@code direct:anpr-ingest} and
 * <ul>
 * <li>returns when the message is settled (reads committed, message quarantined, or an event with no read): the
 * exchange completes and the message is acknowledged;</li>
 * <li>while it is not settled (store down or behind), keeps the message and tries again after an exponential
 * back-off: it stays unacknowledged, and once {@code receiveMaximum} messages are unacknowledged the broker sends no
 * more (they wait in the persistent session at the broker, not in the hub);</li>
 * <li>if the feed or the hub stops while the message is held, fails the exchange: the message stays
 * unacknowledged and the broker re-delivers it on the next connection of the session.</li>
 * </ul>
 * The pool's queue is as large as {@code receiveMaximum}, so the client's callback thread never blocks and
 * keep-alives keep flowing during a long store outage.
 */
public final class MqttIngest implements Processor {

    private static final Logger log = LoggerFactory.getLogger(MqttIngest.class);
    private static final String MQTT5_PROPERTIES = "CamelPahoMqtt5MsgProperties";

    private final ProducerTemplate template;
    private final Backoff backoff;
    private final MeterRegistry meters;
    private final Set<String> holding = ConcurrentHashMap.newKeySet();
    private volatile Endpoint ingest;

    public MqttIngest(ProducerTemplate template, MqProperties.Mqtt props, MeterRegistry meters) {
        this.template = template;
        this.backoff = new Backoff(props.retryBackoff(), props.retryBackoffMax());
        this.meters = meters;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String route = exchange.getFromRouteId();
        Message source = exchange.getMessage();
        byte[] payload = source.getBody(byte[].class);
        Map<String, Object> headers = headers(source);
        String feed = (String) headers.get(IngestRoutes.FEED);
        CamelContext camel = exchange.getContext();
        try {
            while (true) {
                IngestOutcome result = ingest(camel, payload, headers, feed);
                if (MqAcks.settled(result)) {
                    if (holding.remove(route)) {
                        log.info("MQTT feed {}: the store took the held message; consuming again", route);
                    }
                    backoff.reset(route);
                    exchange.getMessage().setBody(result);
                    return; // the exchange completes: camel-paho-mqtt5 (manualAcksEnabled) sends the PUBACK now
                }
                String reason = MqAcks.reason(result);
                Duration pause = backoff.next(route);
                counter(route, reason).increment();
                if (holding.add(route)) {
                    log.warn("MQTT feed {} ({}): a message was not stored ({}); holding it unacknowledged and retrying "
                            + "with back-off; the broker keeps further messages meanwhile", route, feed, reason);
                } else {
                    log.debug("MQTT feed {}: still not stored ({}); next try in {} ms", route, reason, pause.toMillis());
                }
                if (!sleepWhileRunning(camel, route, pause)) {
                    throw new NotSettledException("MQTT feed " + route + " stopping with a message not stored (" + reason
                            + "): left unacknowledged for re-delivery");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotSettledException("MQTT feed " + route + " interrupted: message left unacknowledged for re-delivery");
        }
    }

    /** Whether a feed is holding a message the store has not taken yet (its consumption is paused). */
    public boolean isHolding(String routeId) {
        return holding.contains(routeId);
    }

    private static Map<String, Object> headers(Message source) {
        Map<String, Object> out = new HashMap<>();
        source.getHeaders().forEach((name, value) -> {
            if (value != null && (!name.startsWith("Camel") || name.equals(Exchange.CONTENT_TYPE))) {
                out.put(name, value);
            }
        });
        Object props = source.getHeader(MQTT5_PROPERTIES);
        if (props instanceof org.eclipse.paho.mqttv5.common.packet.MqttProperties p && p.getContentType() != null) {
            out.put(Exchange.CONTENT_TYPE, p.getContentType());
        }
        out.putIfAbsent(IngestRoutes.TRANSPORT, "mqtt");
        return out;
    }

    private IngestOutcome ingest(CamelContext camel, byte[] payload, Map<String, Object> headers, String feed) {
        Endpoint e = ingest;
        if (e == null) {
            e = camel.getEndpoint("direct:anpr-ingest");
            ingest = e;
        }
        Exchange done = template.send(e, ex -> {
            ex.getMessage().setHeaders(new HashMap<>(headers));
            ex.getMessage().setBody(payload);
        });
        if (done.getException() != null) {
            log.warn("MQTT feed {}: ingest failed: {}", feed, done.getException().getClass().getSimpleName());
            return null;
        }
        return done.getMessage().getBody(IngestOutcome.class);
    }

    /** Sleeps in short steps; false as soon as the route or the hub is stopping. */
    private static boolean sleepWhileRunning(CamelContext camel, String route, Duration pause) throws InterruptedException {
        long until = System.nanoTime() + pause.toNanos();
        while (true) {
            ServiceStatus status = camel.getRouteController().getRouteStatus(route);
            if (camel.isStopping() || camel.isStopped() || (status != null && !status.isStarted())) {
                return false;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000)));
        }
    }

    private Counter counter(String route, String reason) {
        return Counter.builder("anpr_transport_backoff_total").description("Batches/messages not stored and retried later")
                .tag("transport", "mqtt").tag("route", route).tag("reason", reason == null ? "unknown" : reason)
                .register(meters);
    }
}
