package uk.anprhub.hotlist;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Hotlist limits and matching ({@code anpr.hotlists.*}; docs/hotlists.md).
 *
 * @param maxWildcardsPerList wildcard entries a list may hold (each is tried against every read)
 * @param maxImportBytes      largest CSV import body
 * @param maxImportLines      most entry lines in one import
 * @param reloadEvery         how often the index checks the database for changes made by another hub
 * @param matchQueue          committed reads waiting to be matched; beyond it reads are counted and not matched
 * @param matching            off: no read is matched (the benchmark's "matching off")
 */
@ConfigurationProperties("anpr.hotlists")
public record HotlistProperties(@DefaultValue("100") int maxWildcardsPerList,
                                @DefaultValue("64MB") DataSize maxImportBytes,
                                @DefaultValue("1000000") int maxImportLines,
                                @DefaultValue("10s") Duration reloadEvery,
                                @DefaultValue("100000") int matchQueue,
                                @DefaultValue("true") boolean matching) {
}
