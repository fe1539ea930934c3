package uk.anprhub.transport.mq;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.ingest.IngestRoutes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kafka feeds into the ingest core, one polled batch at a time. The route file consumes with camel-kafka
 * {@code batching=true}, {@code autoCommitEnable=false}, {@code allowManualCommit=true} and
 * {@code breakOnFirstError=true}; this processor then
 * <ol>
 * <li>sends every message of the batch to {@code direct:anpr-ingest} in parallel (bounded pool), so one consumer
 * fills the store's group commit instead of waiting for one commit per message;</li>
 * <li>per partition, commits the offset after the longest run of messages that are settled (reads committed, or
 * the message quarantined) — a poison message is quarantined by the core and passed, never blocking;</li>
 * <li>if a message is not settled (store down or behind: 503), commits nothing past it, pauses (exponential
 * back-off, on the consumer thread, so nothing more is fetched) and fails the batch: with breakOnFirstError
 * camel-kafka then closes the consumer and re-polls every partition from its committed offset. Messages after the
 * unsettled one that were stored meanwhile come again and are counted as duplicates (unique key), never twice.</li>
 * </ol>
 * Memory stays bounded by {@code maxPollRecords} per consumer: nothing is buffered beyond the polled batch.
 */
public final class KafkaIngest implements Processor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaIngest.class);
    /** Kafka metadata kept with the raw message (as text); other {@code kafka.*} headers are internal. */
    private static final Set<String> KAFKA_HEADERS = Set.of(KafkaConstants.TOPIC, KafkaConstants.PARTITION,
            KafkaConstants.OFFSET, KafkaConstants.KEY, KafkaConstants.TIMESTAMP);

    private final ProducerTemplate template;
    private final ThreadPoolExecutor pool;
    private final Backoff backoff;
    private final MeterRegistry meters;
    private volatile Endpoint ingest;

    public KafkaIngest(ProducerTemplate template, MqProperties.Kafka props, MeterRegistry meters) {
        this.template = template;
        this.meters = meters;
        this.backoff = new Backoff(props.retryBackoff(), props.retryBackoffMax());
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, props.ingestThreads());
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "anpr-kafka-ingest-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true); // no threads while no Kafka feed runs
    }

    @Override
    public void process(Exchange batch) throws Exception {
        List<Exchange> records = records(batch);
        if (records.isEmpty()) {
            return;
        }
        String feed = batch.getMessage().getHeader(IngestRoutes.FEED, String.class);
        String transport = batch.getMessage().getHeader(IngestRoutes.TRANSPORT, "kafka", String.class);
        String key = batch.getFromRouteId();
        List<Future<IngestOutcome>> results = new ArrayList<>(records.size());
        if (backoff.failing(key)) {
            // The last batch failed: probe with the first message alone before sending the whole batch at a store
            // that is probably still down (one failure per back-off round instead of maxPollRecords).
            IngestOutcome probe = ingest(records.get(0), feed, transport);
            results.add(CompletableFuture.completedFuture(probe));
            if (!MqAcks.settled(probe)) {
                records = records.subList(0, 1);
            }
        }
        for (int i = results.size(); i < records.size(); i++) {
            Exchange record = records.get(i);
            results.add(pool.submit(() -> ingest(record, feed, transport)));
        }

        // Records of one partition are in offset order; commit each partition up to its first unsettled message.
        Map<TopicPartition, KafkaManualCommit> commits = new LinkedHashMap<>();
        Map<TopicPartition, Long> rewind = new LinkedHashMap<>();
        String reason = null;
        for (int i = 0; i < records.size(); i++) {
            Message m = records.get(i).getMessage();
            TopicPartition tp = new TopicPartition(m.getHeader(KafkaConstants.TOPIC, String.class),
                    m.getHeader(KafkaConstants.PARTITION, Integer.class));
            IngestOutcome result = outcome(results.get(i));
            if (rewind.containsKey(tp)) {
                continue;
            }
            if (MqAcks.settled(result)) {
                commits.put(tp, m.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
            } else {
                rewind.put(tp, m.getHeader(KafkaConstants.OFFSET, Long.class));
                if (reason == null) {
                    reason = MqAcks.reason(result);
                }
            }
        }
        for (KafkaManualCommit commit : commits.values()) {
            if (commit == null) {
                throw new IllegalStateException("no " + KafkaConstants.MANUAL_COMMIT + " header: the route must set allowManualCommit=true");
            }
            commit.commit(); // commitSync(offset + 1) on the consumer thread, after the reads are in PostgreSQL
        }

        if (rewind.isEmpty()) {
            backoff.reset(key);
            return;
        }
        Duration pause = backoff.next(key);
        counter(key, reason).increment();
        log.warn("Kafka feed {} ({}): message(s) not stored ({}), first at {}; no offset committed past them; polling again from the committed offsets in {} ms",
                feed, key, reason, rewind, pause.toMillis());
        Thread.sleep(pause.toMillis());
        throw new NotSettledException("feed " + feed + ": the store did not take the batch (" + reason
                + "); re-polling from the committed offsets " + rewind);
    }

    @SuppressWarnings("unchecked")
    private static List<Exchange> records(Exchange batch) {
        Object body = batch.getMessage().getBody();
        if (body instanceof List<?> list) {
            return (List<Exchange>) list;
        }
        if (body == null) {
            return List.of();
        }
        return List.of(batch); // batching=false: the exchange is the record
    }

    private IngestOutcome ingest(Exchange record, String feed, String transport) {
        Message source = record.getMessage();
        Exchange done = template.send(endpoint(record), ex -> {
            Message in = ex.getMessage();
            in.setBody(source.getBody(byte[].class));
            in.setHeader(IngestRoutes.FEED, feed);
            in.setHeader(IngestRoutes.TRANSPORT, transport);
            source.getHeaders().forEach((name, value) -> {
                if (value == null || name.startsWith("Camel") || name.startsWith("Anpr")) {
                    return;
                }
                if (name.startsWith("kafka.")) {
                    if (KAFKA_HEADERS.contains(name)) {
                        in.setHeader(name.toLowerCase(Locale.ROOT), value.toString());
                    }
                    return;
                }
                String text = value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value.toString();
                if (name.equalsIgnoreCase("content-type")) {
                    in.setHeader(Exchange.CONTENT_TYPE, text);
                } else {
                    in.setHeader(name, text);
                }
            });
        });
        if (done.getException() != null) {
            log.warn("Kafka feed {}: ingest failed at offset {}: {}", feed, source.getHeader(KafkaConstants.OFFSET),
                    done.getException().getClass().getSimpleName());
            return null;
        }
        return done.getMessage().getBody(IngestOutcome.class);
    }

    private Endpoint endpoint(Exchange record) {
        Endpoint e = ingest;
        if (e == null) {
            e = record.getContext().getEndpoint("direct:anpr-ingest");
            ingest = e;
        }
        return e;
    }

    private static IngestOutcome outcome(Future<IngestOutcome> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            log.warn("Kafka ingest task failed: {}", e.getCause().toString());
            return null;
        }
    }

    private Counter counter(String route, String reason) {
        return Counter.builder("anpr_transport_backoff_total").description("Batches/messages not stored and retried later")
                .tag("transport", "kafka").tag("route", route).tag("reason", reason == null ? "unknown" : reason)
                .register(meters);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
