package uk.anprhub.bench;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import uk.anprhub.support.TestReads;
import uk.anprhub.transport.mq.FrigateEvents;
import uk.anprhub.transport.mq.MqBrokers;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Reads/s into the store over the Kafka and MQTT transports, as a backlog drain: N single-read messages are put on
 * the broker first (Kafka: N canonical reads on a 4-partition topic; MQTT: N Frigate {@code end} events queued in
 * the hub's persistent session), then the hub is started as its own process (bin/anpr-hub's jar, embedded
 * PostgreSQL in a fresh folder, its route files) and the {@code anpr_reads_stored_total} metric is sampled until
 * all N are stored. Reported: reads/s between 10 % and 100 % stored (start-up and warm-up excluded). The brokers run
 * in this JVM, the hub in another, all on this machine. A plain {@code main}, run by {@code bench/mq.sh}.
 *
 * <p>Usage: {@code MqThroughput kafka|mqtt|both N HUB_JAR [extra hub arguments, e.g. --anpr.kafka.nas-json.consumers=4]}
 */
public final class MqThroughput {

    static final String TOPIC = "anpr.bench.nas-json";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "both";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String jar = args.length > 2 ? args[2] : "target/anpr-hub.jar";
        List<String> extra = args.length > 3 ? List.of(args).subList(3, args.length) : List.of();
        try (MqBrokers brokers = MqBrokers.start(4, TOPIC)) {
            if (what.equals("kafka") || what.equals("both")) {
                long t0 = System.nanoTime();
                preloadKafka(brokers, n);
                System.out.printf(Locale.ROOT, "kafka: %d messages on %s (4 partitions) in %.1f s%n", n, TOPIC, secs(t0));
                report("kafka", n, runHub(jar, brokers, "kafka", "nas-json", n, extra));
            }
            if (what.equals("mqtt") || what.equals("both")) {
                long t0 = System.nanoTime();
                preloadMqtt(brokers, n);
                System.out.printf(Locale.ROOT, "mqtt: %d messages queued for the hub's session in %.1f s%n", n, secs(t0));
                report("mqtt", n, runHub(jar, brokers, "mqtt", "frigate-mqtt", n, extra));
            }
        }
        System.exit(0);
    }

    private static void preloadKafka(MqBrokers brokers, int n) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers.kafkaBrokers(), ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                p.send(new ProducerRecord<>(TOPIC, UUID.randomUUID().toString(), TestReads.read().getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
    }

    private static void preloadMqtt(MqBrokers brokers, int n) throws Exception {
        // The hub's session (client id anpr-bench + "-frigate", as in routes/mqtt-frigate-events.camel.yaml) exists
        // before the hub first connects, so everything published now waits for it at the broker.
        MqttAsyncClient session = new MqttAsyncClient(brokers.mqttUrl, "anpr-bench-frigate", new MemoryPersistence());
        MqttConnectionOptions so = new MqttConnectionOptions();
        so.setCleanStart(true);
        so.setSessionExpiryInterval(3600L);
        session.connect(so).waitForCompletion();
        session.subscribe("frigate/events", 1).waitForCompletion();
        session.disconnect().waitForCompletion();
        session.close();

        MqttAsyncClient pub = new MqttAsyncClient(brokers.mqttUrl, "anpr-bench-publisher", new MemoryPersistence());
        pub.connect(new MqttConnectionOptions()).waitForCompletion();
        FrigateEvents events = new FrigateEvents();
        String[] cameras = {"front_door", "driveway_cam"};
        Deque<IMqttToken> window = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            MqttMessage m = new MqttMessage(events.end(TestReads.plate().replace(" ", ""), cameras[i % 2]));
            m.setQos(1);
            window.add(pub.publish("frigate/events", m));
            if (window.size() >= 500) {
                window.poll().waitForCompletion();
            }
        }
        for (IMqttToken t : window) {
            t.waitForCompletion();
        }
        pub.disconnect().waitForCompletion();
        pub.close();
    }

    /** Starts the hub with one transport on, samples its stored-reads metric; returns (seconds, count) samples. */
    private static List<double[]> runHub(String jar, MqBrokers brokers, String transport, String feed, int n,
                                         List<String> extra) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = Files.createTempDirectory("anpr-bench-mq");
        List<String> cmd = new ArrayList<>(List.of("java", "-Danpr.home=" + new File(".").getCanonicalPath(), "-jar", jar, "run",
                "--server.port=" + port, "--logging.level.root=WARN", "--anpr.cameras.location=" + new File("src/test/resources/cameras").getCanonicalPath(),
                "--anpr.kafka.enabled=" + transport.equals("kafka"), "--anpr.kafka.brokers=" + brokers.kafkaBrokers(),
                "--anpr.kafka.nas-json.topic=" + TOPIC, "--anpr.kafka.nas-json.group-id=anpr-bench-" + System.nanoTime(),
                "--anpr.mqtt.enabled=" + transport.equals("mqtt"), "--anpr.mqtt.broker-url=" + brokers.mqttUrl,
                "--anpr.mqtt.client-id=anpr-bench"));
        cmd.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(data.resolve("hub.log").toFile());
        pb.environment().put("ANPR_DATA_DIR", data.toString());
        Process hub = pb.start();
        String sample = "anpr_reads_stored_total{feed=\"" + feed + "\"}";
        List<double[]> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            while (true) {
                if (!hub.isAlive()) {
                    throw new IllegalStateException("hub exited; see " + data.resolve("hub.log"));
                }
                double stored = metric(port, sample);
                if (stored >= 0) {
                    samples.add(new double[]{secs(t0), stored});
                    if (stored >= n) {
                        return samples;
                    }
                }
                if (secs(t0) > 900) {
                    throw new IllegalStateException("not all stored after 15 min: " + stored + "; see " + data.resolve("hub.log"));
                }
                Thread.sleep(200);
            }
        } finally {
            hub.destroy();
            hub.waitFor();
        }
    }

    private static double metric(int port, String sample) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            for (String line : r.body().split("\n")) {
                if (line.startsWith(sample + " ")) {
                    return Double.parseDouble(line.substring(sample.length() + 1).trim());
                }
            }
            return 0;
        } catch (Exception e) {
            return -1; // not up yet
        }
    }

    private static void report(String transport, int n, List<double[]> samples) {
        double[] first = samples.stream().filter(s -> s[1] > 0).findFirst().orElseThrow();
        double[] tenth = samples.stream().filter(s -> s[1] >= n / 10.0).findFirst().orElseThrow();
        double[] last = samples.get(samples.size() - 1);
        System.out.printf(Locale.ROOT, "%s: %d reads stored; first after %.1f s of hub start; %.0f reads/s from 10%% to 100%% "
                        + "(%.1f s), %.0f reads/s from the first read%n", transport, n, first[0],
                (last[1] - tenth[1]) / (last[0] - tenth[0]), last[0] - tenth[0], (last[1] - first[1]) / (last[0] - first[0]));
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
