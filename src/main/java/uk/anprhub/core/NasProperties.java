package uk.anprhub.core;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The National ANPR Service: shared by delivery (the capture API, target {@code nas}) and national search (its base
 * URL + /searches unless {@code anpr.nas.search.url} is set), so it sits below both.
 *
 * @param url base URL of the NAS capture API ({@code ANPR_NAS_URL})
 */
@ConfigurationProperties("anpr.nas")
public record NasProperties(@DefaultValue("http://localhost:9090/nas/v1") String url) {
}
