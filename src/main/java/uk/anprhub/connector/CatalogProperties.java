package uk.anprhub.connector;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where connectors and mappings are read from ({@code anpr.catalog.*}); relative paths are taken from the hub's home,
 * and the copies inside the jar are the fallback.
 *
 * @param connectors  folder of connectors/&lt;id&gt;/connector.yaml
 * @param mappings    folder of the JSLT mappings
 * @param reloadCheck how often the files are checked for edits (read by the watcher's {@code @Scheduled} placeholder)
 */
@ConfigurationProperties("anpr.catalog")
public record CatalogProperties(@DefaultValue("connectors") Path connectors, @DefaultValue("mappings") Path mappings,
                                @DefaultValue("5s") Duration reloadCheck) {
}
