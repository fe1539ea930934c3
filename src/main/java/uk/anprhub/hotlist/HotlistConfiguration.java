package uk.anprhub.hotlist;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/** Hotlists (docs/hotlists.md): the store, the in-memory index and the API. Matching and alerts: uk.anprhub.alert. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HotlistProperties.class)
class HotlistConfiguration {

    @Bean
    HotlistStore hotlistStore(JdbcTemplate jdbc, PlatformTransactionManager txm, HotlistProperties props) {
        return new HotlistStore(jdbc, new TransactionTemplate(txm), props.maxWildcardsPerList());
    }

    @Bean(destroyMethod = "close")
    Hotlists hotlists(HotlistStore store, Clock clock, HotlistProperties props) {
        return new Hotlists(store, clock, props.reloadEvery());
    }
}
