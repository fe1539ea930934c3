package uk.anprhub.national;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * The NAS search API as the force reaches it ({@code anpr.nas.search.*}).
 *
 * @param url        the search endpoint; default: the NAS capture API's base ({@code anpr.nas.url}) + {@code /searches}
 * @param user       the force's search account (HTTP Basic); none: no Authorization header
 * @param password   its password (keep it in an environment variable: {@code ${NAS_SEARCH_PASSWORD}})
 * @param sslBundle  a Spring Boot SSL bundle for mutual TLS to NAS (as delivery's {@code http.ssl-bundle})
 * @param timeout    how long one search may take before the investigator is told NAS is unavailable
 * @param maxResults the most results asked for in one search
 */
@ConfigurationProperties("anpr.nas.search")
public record NationalProperties(URI url, String user, String password, String sslBundle,
                                 @DefaultValue("30s") Duration timeout, @DefaultValue("1000") int maxResults) {
}
