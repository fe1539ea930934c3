package uk.anprhub.national;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.ObjectProvider;
import uk.anprhub.core.NasProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NationalProperties.class, NationalPolicy.class})
class NationalConfiguration {

    /** The search URL: anpr.nas.search.url, else the capture API's base (ANPR_NAS_URL) + /searches. */
    @Bean
    NasSearchClient nasSearchClient(NationalProperties props, NasProperties nas,
                                    ObjectProvider<SslBundles> bundles, ObjectMapper json) {
        URI url = props.url() != null ? props.url() : URI.create(nas.url().replaceAll("/+$", "") + "/searches");
        javax.net.ssl.SSLContext tls = props.sslBundle() == null || props.sslBundle().isBlank() ? null
                : bundles.getObject().getBundle(props.sslBundle()).createSslContext();
        return new NasSearchClient(url, props.user(), props.password(), tls, props.timeout(), json);
    }

    @Bean
    Authorisations nationalAuthorisations(JdbcTemplate jdbc) {
        return new Authorisations(jdbc);
    }
}
