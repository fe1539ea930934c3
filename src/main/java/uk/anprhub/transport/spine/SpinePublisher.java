package uk.anprhub.transport.spine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.ingest.ReadSink;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser.Normalised;
import uk.anprhub.store.ReadWriter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge hub's {@link ReadSink}: each valid read, as the canonical JSON the nas-json connector accepts (pictures
 * inline, base64), is sent to the spine topic keyed by camera id, by one idempotent producer with {@code acks=all}.
 * A message's future completes when Kafka acknowledged all its reads; it fails with {@link ReadSink.Unavailable}
 * when a send fails or times out ({@code anpr.spine.send-timeout}), so the camera gets the store-outage answer.
 * Sends of concurrent cameras share the producer's batches ({@code linger}, {@code batch-size}): one request per
 * batch and partition, not one round trip per read.
 * <p>
 * The read id is derived from the idempotency key (name-based UUID), not drawn at random: a camera that repeats a
 * read (it got no answer, or a 503 after Kafka in fact took it) sends the same id again, and the central hubs key
 * the read on it ({@code <cameraId>:<readId>}, ON CONFLICT DO NOTHING), so a repeat — or a record consumed again
 * after a central consumer died — is never stored twice.
 */
public final class SpinePublisher implements ReadSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpinePublisher.class);

    private final Producer<String, byte[]> producer;
    private final ObjectMapper mapper;
    private final String topic;
    private final Semaphore pending;
    private final AtomicLong failures = new AtomicLong();
    private volatile long lastWarning;

    public SpinePublisher(SpineProperties props, ObjectMapper mapper) {
        this(new KafkaProducer<>(producerConfig(props), new StringSerializer(), new ByteArraySerializer()), props, mapper);
    }

    SpinePublisher(Producer<String, byte[]> producer, SpineProperties props, ObjectMapper mapper) {
        this.producer = producer;
        this.mapper = mapper;
        this.topic = props.topic();
        this.pending = new Semaphore(props.maxPendingReads());
    }

    static Map<String, Object> producerConfig(SpineProperties p) {
        long timeout = p.sendTimeout().toMillis();
        long linger = p.linger().toMillis();
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, p.brokers());
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "anpr-spine-edge");
        c.put(ProducerConfig.ACKS_CONFIG, "all"); // acknowledged = on every in-sync replica
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true); // a retried batch is written once per partition
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence keeps in order
        c.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, (int) p.batchSize().toBytes());
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) p.maxRecordSize().toBytes());
        // delivery.timeout.ms must cover linger + request timeout; the whole send is bounded by send-timeout
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout - linger - 1));
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout));
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1000, timeout)); // send() waiting for metadata: broker down
        c.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
        return c;
    }

    @Override
    public CompletableFuture<ReadWriter.Stored> submit(RawMessage message, List<Normalised> reads) {
        if (!pending.tryAcquire(reads.size())) {
            return CompletableFuture.failedFuture(new ReadSink.Unavailable("busy",
                    "the spine is behind; retry shortly", 1));
        }
        CompletableFuture<ReadWriter.Stored> done = new CompletableFuture<>();
        List<UUID> ids = new ArrayList<>(reads.size());
        AtomicInteger outstanding = new AtomicInteger(reads.size());
        int sent = 0;
        try {
            for (Normalised n : reads) {
                UUID id = readId(n.read());
                ids.add(id);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, n.read().cameraId(), json(n, id));
                producer.send(record, (metadata, error) -> {
                    pending.release();
                    if (error != null) {
                        done.completeExceptionally(unavailable(error));
                    } else if (outstanding.decrementAndGet() == 0) {
                        done.complete(new ReadWriter.Stored(ids));
                    }
                });
                sent++;
            }
        } catch (RuntimeException e) { // send() itself: no metadata within send-timeout, record too large, closed
            pending.release(reads.size() - sent);
            done.completeExceptionally(unavailable(e));
        }
        return done;
    }

    /** Name-based on the idempotency key: the same read from the camera gets the same id at every attempt. */
    static UUID readId(NasRead read) {
        return UUID.nameUUIDFromBytes(("anpr-spine:" + read.idempotencyKey()).getBytes(StandardCharsets.UTF_8));
    }

    private byte[] json(Normalised n, UUID id) {
        ObjectNode node = mapper.valueToTree(n.read().withReadId(id));
        picture(node, "plateImage", n.plateImage());
        picture(node, "overviewImage", n.overviewImage());
        try {
            return mapper.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a read", e);
        }
    }

    /** The nas-json connector takes a picture inline as {@code {"contentType": ..., "data": "<base64>"}}. */
    private static void picture(ObjectNode read, String field, byte[] bytes) {
        if (bytes != null && read.get(field) instanceof ObjectNode ref) {
            ref.put("data", Base64.getEncoder().encodeToString(bytes));
        }
    }

    private ReadSink.Unavailable unavailable(Throwable error) {
        long n = failures.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastWarning > Duration.ofSeconds(10).toNanos()) { // a summary, not a line per read while Kafka is away
            lastWarning = now;
            log.warn("Spine: reads not acknowledged by Kafka ({}; {} failed sends since start); cameras are answered retry-later",
                    error.getClass().getSimpleName(), n);
        }
        return new ReadSink.Unavailable("spine-unavailable", "the hub cannot pass reads on now; retry later", 5);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5)); // waits for reads in flight; their cameras get their answers
    }
}
