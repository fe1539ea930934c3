package uk.anprhub.audit;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
class AuditConfiguration {

    @Bean
    AuditRetention auditRetention(JdbcTemplate jdbc, AuditProperties props, uk.anprhub.store.ClusterLocks locks) {
        return new AuditRetention(jdbc, props, locks);
    }
}
