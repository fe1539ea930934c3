package uk.anprhub.transport.mq;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans the Kafka and MQTT route files reference ({@code ref: kafkaIngest}, {@code ref: mqttIngest}). They
 * exist whether or not a feed is enabled; they start no thread and open no connection until a feed runs.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({MqProperties.Kafka.class, MqProperties.Mqtt.class})
public class MqConfiguration {

    @Bean(destroyMethod = "close")
    KafkaIngest kafkaIngest(ProducerTemplate template, MqProperties.Kafka props, MeterRegistry meters) {
        return new KafkaIngest(template, props, meters);
    }

    /**
     * Replaces the standard paho-mqtt5 component (same URI and options); see {@link SafePahoMqtt5Component}. The
     * broker credentials and TLS of {@code anpr.mqtt.*} are component defaults, so every MQTT route uses them and no
     * secret sits in a route file.
     */
    @Bean("paho-mqtt5")
    SafePahoMqtt5Component pahoMqtt5Component(MqProperties.Mqtt props, ObjectProvider<SslBundles> bundles) {
        SafePahoMqtt5Component component = new SafePahoMqtt5Component();
        var config = component.getConfiguration();
        if (props.userName() != null && !props.userName().isBlank()) {
            config.setUserName(props.userName());
            config.setPassword(props.password());
        }
        if (props.tls().on()) {
            config.setSocketFactory(MqttTls.socketFactory(props.tls(), bundles::getObject));
        }
        return component;
    }

    @Bean
    MqttIngest mqttIngest(ProducerTemplate template, MqProperties.Mqtt props, MeterRegistry meters) {
        return new MqttIngest(template, props, meters);
    }
}
