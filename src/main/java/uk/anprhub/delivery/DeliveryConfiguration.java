package uk.anprhub.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import uk.anprhub.core.NasProperties;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.store.ImageStore;

import javax.sql.DataSource;
import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeliveryProperties.class)
public class DeliveryConfiguration {

    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    DeliveryService deliveryService(DeliveryProperties props, DataSource dataSource, ImageStore images, ObjectMapper mapper,
                                    MeterRegistry meters, Clock clock, AuditLog audit, SslBundles sslBundles,
                                    NasProperties nas) {
        DeliveryService service = DeliveryFactory.create(props, dataSource, images, mapper, meters, clock, nas.url(), audit,
                sslBundles);
        service.start();
        return service;
    }

    /** The workers run as Camel routes only when delivery is enabled on this instance. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "anpr.delivery.enabled", matchIfMissing = true)
    DeliveryRoutes deliveryRoutes(DeliveryService delivery) {
        return new DeliveryRoutes(delivery);
    }

    /** The targets in Hawtio: {@code uk.anprhub:type=DeliveryTarget,name=<target>}. */
    @Bean(destroyMethod = "close")
    DeliveryTargetMBeans deliveryTargetMBeans(DeliveryService delivery, AuditLog audit) {
        return new DeliveryTargetMBeans(delivery, audit);
    }

    @Bean
    CompositeHealthContributor delivery(DeliveryService delivery) {
        return DeliveryHealth.of(delivery);
    }
}
