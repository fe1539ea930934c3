package uk.anprhub.transport.mq;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import uk.anprhub.support.TestReads;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka transport end to end (routes/kafka-nas-json.camel.yaml): a real KRaft broker, the real hub, real
 * PostgreSQL. Offsets are read from the broker (the consumer group's committed offsets), rows from the store.
 */
class KafkaTransportIT extends MqHubIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, byte[]> producer;
    private static Admin admin;

    @BeforeAll
    static void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKERS.kafkaBrokers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 2),
                new StringSerializer(), new ByteArraySerializer());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKERS.kafkaBrokers()));
    }

    @AfterAll
    static void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    /** A message as produced: where it landed, and the VRM it carries (null for the poison message). */
    record Sent(String vrm, TopicPartition tp, long offset) {
    }

    @Test
    void readsArriveExactlyOnceAPoisonMessageIsPassedAndEveryCommittedOffsetIsBackedByRows() throws Exception {
        byte[] poison = ("not a read " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        List<String> vrms = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            if (i == 150) {
                futures.add(producer.send(new ProducerRecord<>(TOPIC, "cam-" + i % 8, poison)));
                vrms.add(null);
            }
            String read = TestReads.read();
            vrms.add(JSON.readTree(read).get("vrm").asText());
            futures.add(producer.send(new ProducerRecord<>(TOPIC, "cam-" + i % 8, read.getBytes(StandardCharsets.UTF_8))));
        }
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            RecordMetadata md = futures.get(i).get();
            sent.add(new Sent(vrms.get(i), new TopicPartition(md.topic(), md.partition()), md.offset()));
        }
        List<String> all = sent.stream().map(Sent::vrm).filter(v -> v != null).toList();

        // While the hub consumes: whatever the broker says is committed must already be in PostgreSQL.
        int checks = 0;
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (countVrms(all) < all.size()) {
            assertThat(System.nanoTime()).as("all reads stored in time").isLessThan(until);
            Map<TopicPartition, Long> committed = committed();
            List<String> covered = sent.stream().filter(s -> s.vrm() != null && committed.containsKey(s.tp())
                    && s.offset() < committed.get(s.tp())).map(Sent::vrm).toList();
            assertThat(countVrms(covered)).as("rows behind the committed offsets").isEqualTo(covered.size());
            checks++;
            Thread.sleep(20); // the pace of the invariant check made on every round
        }
        assertThat(countVrms(all)).isEqualTo(400);
        assertThat(db().queryForObject("select count(distinct vrm) from nas_read where vrm = any(?)", Integer.class,
                (Object) all.stream().map(v -> v.replace(" ", "")).toArray(String[]::new))).isEqualTo(400);
        assertThat(db().queryForObject("select count(*) from quarantine where payload = ?", Integer.class, (Object) poison))
                .isEqualTo(1);
        assertThat(db().queryForObject("select reason from quarantine where payload = ?", String.class, (Object) poison))
                .isEqualTo("undecodable");
        await("offsets committed to the end", Duration.ofSeconds(10), () -> committed().equals(endOffsets()));
        System.out.printf("kafka: %d committed-offset checks while consuming%n", checks);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void whileTheStoreIsDownNoOffsetIsCommittedAndAfterItReturnsEverythingArrivesOnce(CapturedOutput output) throws Exception {
        await("previous messages consumed", Duration.ofSeconds(30), () -> committed().equals(endOffsets()));
        Map<TopicPartition, Long> before = committed();
        store().down();
        List<String> vrms = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String read = TestReads.read();
            vrms.add(JSON.readTree(read).get("vrm").asText());
            producer.send(new ProducerRecord<>(TOPIC, "cam-" + i % 8, read.getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        org.awaitility.Awaitility.await().during(Duration.ofMillis(2500)).atMost(Duration.ofMillis(4500)).until(() -> committed().equals(before) && countVrms(vrms) == 0); // several poll / fail / back-off / re-poll rounds
        assertThat(committed()).as("no offset committed while the store is down").isEqualTo(before);
        assertThat(countVrms(vrms)).isZero();

        store().up();
        await("all reads stored after the store returned", Duration.ofSeconds(30), () -> countVrms(vrms) == vrms.size());
        await("offsets committed to the end", Duration.ofSeconds(10), () -> committed().equals(endOffsets()));
        assertThat(countVrms(vrms)).isEqualTo(40);
        for (String vrm : vrms) {
            assertThat(output.getAll()).as("plates never logged").doesNotContain(vrm).doesNotContain(vrm.replace(" ", ""));
        }
    }

    private Map<TopicPartition, Long> committed() {
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                    .forEach((tp, o) -> out.put(tp, o.offset()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<TopicPartition, Long> endOffsets() {
        try {
            Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                spec.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
            }
            return admin.listOffsets(spec).all().get().entrySet().stream().filter(e -> e.getValue().offset() > 0)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
