package uk.anprhub.transport.spine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import uk.anprhub.ingest.ReadSink;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser.Normalised;
import uk.anprhub.store.ReadWriter;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpinePublisherTest {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    static final byte[] PICTURE = {(byte) 0xff, (byte) 0xd8, 1, 2, 3};

    static SpineProperties props(int maxPending) {
        return new SpineProperties(SpineProperties.Mode.EDGE, "b:9092", "spine", "g", Duration.ofSeconds(10),
                Duration.ofMillis(5), DataSize.ofKilobytes(256), DataSize.ofMegabytes(8), maxPending);
    }

    static Normalised read(String camera, String key, byte[] plate) {
        Instant t = Instant.parse("2026-12-06T12:00:00.123Z");
        NasRead.ImageRef ref = plate == null ? null : new NasRead.ImageRef("image/jpeg", "abc", (long) plate.length, null);
        return new Normalised(new NasRead(null, key, "AB12CDE", "AB12CDE", t, t.toString(), NasRead.TimeSource.DEVICE_UTC,
                t, "F", "S", camera, null, null, null, null, null, 90, "GBR", null, null, null, ref, null, null, null,
                new NasRead.Ingest("nas-json", "nas-json", "http", null), null), plate, null);
    }

    static RawMessage message() {
        return new RawMessage("{}".getBytes(), "nas-json", "nas-json", "http", "application/json", Map.of(), null, null, null,
                Instant.now());
    }

    @Test
    void theCameraIsAnsweredOnlyWhenKafkaAcknowledgedEveryReadOfItsMessage() throws Exception {
        MockProducer<String, byte[]> kafka = new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
        SpinePublisher spine = new SpinePublisher(kafka, props(100), JSON);
        CompletableFuture<ReadWriter.Stored> done = spine.submit(message(),
                List.of(read("CAM-1", "CAM-1:v1", PICTURE), read("CAM-2", "CAM-2:v2", null)));
        assertThat(kafka.history()).hasSize(2);
        assertThat(kafka.history().get(0).key()).isEqualTo("CAM-1");
        assertThat(kafka.history().get(1).key()).isEqualTo("CAM-2");
        assertThat(kafka.history().get(0).topic()).isEqualTo("spine");
        kafka.completeNext();
        assertThat(done).as("one of two acknowledged").isNotDone();
        kafka.completeNext();
        ReadWriter.Stored stored = done.get();
        assertThat(stored.stored()).isEqualTo(2);
        assertThat(stored.readIds().get(0)).isEqualTo(SpinePublisher.readId(read("CAM-1", "CAM-1:v1", null).read()));

        // the canonical JSON the nas-json connector reads: its read id, the picture inline
        JsonNode sent = JSON.readTree(kafka.history().get(0).value());
        assertThat(sent.path("readId").asText()).isEqualTo(stored.readIds().get(0).toString());
        assertThat(sent.path("cameraId").asText()).isEqualTo("CAM-1");
        assertThat(sent.path("captureTimeUtc").asText()).isEqualTo("2026-12-06T12:00:00.123Z");
        assertThat(Base64.getDecoder().decode(sent.path("plateImage").path("data").asText())).isEqualTo(PICTURE);
        assertThat(sent.path("plateImage").path("contentType").asText()).isEqualTo("image/jpeg");
    }

    @Test
    void aRepeatedReadGetsTheSameIdAnotherReadAnother() {
        NasRead a = read("CAM-1", "CAM-1:v1", null).read();
        assertThat(SpinePublisher.readId(a)).isEqualTo(SpinePublisher.readId(read("CAM-1", "CAM-1:v1", null).read()))
                .isNotEqualTo(SpinePublisher.readId(read("CAM-1", "CAM-1:v2", null).read()));
    }

    @Test
    void aFailedOrTimedOutSendIsUnavailableNotAnAcknowledgement() {
        MockProducer<String, byte[]> kafka = new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
        SpinePublisher spine = new SpinePublisher(kafka, props(100), JSON);
        CompletableFuture<ReadWriter.Stored> done = spine.submit(message(),
                List.of(read("CAM-1", "CAM-1:v1", null), read("CAM-2", "CAM-2:v2", null)));
        kafka.completeNext();
        kafka.errorNext(new TimeoutException("Expiring 1 record(s)"));
        assertThatThrownBy(done::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(ReadSink.Unavailable.class)
                .satisfies(e -> assertThat(((ReadSink.Unavailable) e).error()).isEqualTo("spine-unavailable"));
    }

    @Test
    void beyondTheBoundOfReadsAwaitingKafkaTheCameraIsToldBusyAtOnce() throws Exception {
        MockProducer<String, byte[]> kafka = new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
        SpinePublisher spine = new SpinePublisher(kafka, props(2), JSON);
        CompletableFuture<ReadWriter.Stored> first = spine.submit(message(), List.of(read("CAM-1", "CAM-1:v1", null),
                read("CAM-1", "CAM-1:v2", null)));
        CompletableFuture<ReadWriter.Stored> refused = spine.submit(message(), List.of(read("CAM-1", "CAM-1:v3", null)));
        assertThatThrownBy(refused::get).cause().isInstanceOf(ReadSink.Unavailable.class)
                .satisfies(e -> assertThat(((ReadSink.Unavailable) e).error()).isEqualTo("busy"));
        assertThat(kafka.history()).hasSize(2);
        kafka.completeNext();
        kafka.completeNext();
        first.get();
        assertThat(spine.submit(message(), List.of(read("CAM-1", "CAM-1:v3", null)))).as("room again").isNotDone();
    }

    @Test
    void theProducerIsIdempotentWithAcksAllAndItsWholeSendBoundedByTheSendTimeout() {
        Map<String, Object> c = SpinePublisher.producerConfig(props(10));
        assertThat(c).containsEntry(ProducerConfig.ACKS_CONFIG, "all").containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000L);
        assertThat((int) c.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG) + (int) c.get(ProducerConfig.LINGER_MS_CONFIG))
                .as("Kafka refuses delivery.timeout.ms < linger.ms + request.timeout.ms").isLessThanOrEqualTo(10_000);
    }
}
