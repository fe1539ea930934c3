package uk.anprhub.connector;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import uk.anprhub.Home;
import uk.anprhub.HubProperties;

@Configuration(proxyBeanMethods = false)
public class ConnectorConfiguration {

    @Bean
    ConnectorCatalog connectorCatalog(HubProperties props) {
        return ConnectorCatalog.load(Home.resolve(props.catalog().connectors()), Home.resolve(props.catalog().mappings()));
    }
}
