package uk.anprhub.transport.spine;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kafka spine between sites (docs/kafka-spine.md). Edge: the {@link SpinePublisher} is the hub's
 * {@link uk.anprhub.ingest.ReadSink} instead of the store. Central: nothing here but the start-up line; the route
 * routes/kafka-spine.camel.yaml consumes the topic (switched on by {@link SpineMode}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SpineProperties.class)
public class SpineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SpineConfiguration.class);

    public SpineConfiguration(SpineProperties props) {
        switch (props.mode()) {
            case EDGE -> log.info("Spine mode edge: valid reads go to Kafka topic {} at {} (acks=all, idempotent), each camera "
                            + "acknowledged once Kafka has its reads; quarantine stays here; delivery to NAS/BOF2 is off on "
                            + "this hub (the central hubs deliver)", props.topic(), props.brokers());
            case CENTRAL -> log.info("Spine mode central: consuming Kafka topic {} at {} (group {}) into this hub's store; "
                            + "offsets committed after the PostgreSQL commit; delivery as usual", props.topic(), props.brokers(),
                    props.groupId());
            case OFF -> { }
        }
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "anpr.spine.mode", havingValue = "edge")
    SpinePublisher spinePublisher(SpineProperties props, ObjectMapper mapper) {
        return new SpinePublisher(props, mapper);
    }
}
