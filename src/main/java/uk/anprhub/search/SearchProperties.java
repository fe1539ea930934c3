package uk.anprhub.search;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Bounds of the local search ({@code anpr.search.*}, docs/search.md): every request is bounded so one search can
 * neither hold the store nor the hub's memory.
 *
 * @param defaultPageSize      results per page when none is asked for
 * @param maxPageSize          most results per page
 * @param maxCameras           most camera ids in one query
 * @param minWildcardLiterals  fewest known characters in a wildcard plate ({@code *} alone would be every read)
 * @param exportMaxReads       most reads in one evidence export; a larger result set is refused, never cut
 * @param exportPageSize       reads fetched per keyset page while an export streams
 * @param convoyMaxWindow      largest ±T of a convoy search
 * @param convoyMaxSightings   most sightings of the target a convoy search looks around
 * @param convoyMaxResults     most vehicles a convoy search returns
 */
@ConfigurationProperties("anpr.search")
public record SearchProperties(@DefaultValue("50") int defaultPageSize, @DefaultValue("200") int maxPageSize,
                               @DefaultValue("100") int maxCameras, @DefaultValue("2") int minWildcardLiterals,
                               @DefaultValue("100000") int exportMaxReads, @DefaultValue("1000") int exportPageSize,
                               @DefaultValue("10m") Duration convoyMaxWindow, @DefaultValue("2000") int convoyMaxSightings,
                               @DefaultValue("200") int convoyMaxResults) {
}
