package uk.anprhub.connector;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import uk.anprhub.core.Home;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatalogProperties.class)
public class ConnectorConfiguration {

    @Bean
    ConnectorCatalog connectorCatalog(CatalogProperties props) {
        return ConnectorCatalog.load(Home.resolve(props.connectors()), Home.resolve(props.mappings()));
    }

    @Bean
    CatalogWatcher connectorCatalogWatcher(ConnectorCatalog catalog) {
        return new CatalogWatcher(catalog);
    }

    /**
     * Picks up edits of connector and mapping files without a restart, as the camera registry does: every
     * {@code anpr.catalog.reload-check} (default 5 s) the files' sizes and modification times are compared.
     */
    static final class CatalogWatcher {
        private final ConnectorCatalog catalog;

        CatalogWatcher(ConnectorCatalog catalog) {
            this.catalog = catalog;
        }

        @Scheduled(fixedDelayString = "${anpr.catalog.reload-check:PT5S}", initialDelayString = "${anpr.catalog.reload-check:PT5S}")
        void check() {
            catalog.reloadIfChanged();
        }
    }
}
