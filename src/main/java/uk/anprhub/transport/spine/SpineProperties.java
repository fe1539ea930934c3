package uk.anprhub.transport.spine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * {@code anpr.spine.*}: the Kafka spine between sites (docs/kafka-spine.md). Off by default.
 *
 * @param mode            {@code off}; {@code edge}: valid reads are published to the spine topic instead of stored here,
 *                        the camera acknowledged once Kafka has them (delivery to NAS/BOF2 is off on this hub);
 *                        {@code central}: the spine topic is consumed into this hub's store (route
 *                        routes/kafka-spine.camel.yaml, keys {@code anpr.kafka.spine.*}) and delivered as usual
 * @param brokers         bootstrap servers of the spine's Kafka cluster
 * @param topic           the spine topic (partitioned; records keyed by camera id)
 * @param groupId         consumer group of the central hubs
 * @param sendTimeout     edge: how long a read may take to be acknowledged by Kafka (all in-sync replicas) before
 *                        the camera is answered "unavailable, retry" (the producer's delivery timeout; also the most
 *                        a send waits for broker metadata)
 * @param linger          edge: how long the producer waits to fill a batch (reads of concurrent cameras share one
 *                        request, as they share one group commit in PostgreSQL)
 * @param batchSize       edge: the largest batch per partition in one request
 * @param maxRecordSize   edge: the largest read (with its pictures) the producer sends; the topic's
 *                        {@code max.message.bytes} must allow it
 * @param maxPendingReads edge: reads sent and not yet acknowledged by Kafka; beyond it a camera is answered
 *                        "busy, retry" at once instead of memory growing while the brokers are slow
 */
@ConfigurationProperties("anpr.spine")
public record SpineProperties(@DefaultValue("off") Mode mode, @DefaultValue("localhost:9092") String brokers,
                              @DefaultValue("anpr.spine.reads") String topic, @DefaultValue("anpr-hub-spine") String groupId,
                              @DefaultValue("10s") Duration sendTimeout, @DefaultValue("5ms") Duration linger,
                              @DefaultValue("256KB") DataSize batchSize, @DefaultValue("8MB") DataSize maxRecordSize,
                              @DefaultValue("20000") int maxPendingReads) {

    public enum Mode { OFF, EDGE, CENTRAL }
}
