package uk.anprhub.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code anpr.audit.*}.
 *
 * @param retention     audit rows older than this are deleted (from the start of the chain), never with the reads;
 *                      at least 30 days
 * @param pruneInterval how often the retention runs
 * @param maxSpan       the longest time range one {@code GET /api/v1/audit} (or its CSV) may ask for
 * @param maxPage       the most rows on one page of {@code GET /api/v1/audit}
 */
@ConfigurationProperties("anpr.audit")
public record AuditProperties(@DefaultValue("P730D") Duration retention, @DefaultValue("PT6H") Duration pruneInterval,
                              @DefaultValue("P366D") Duration maxSpan, @DefaultValue("1000") int maxPage) {

    public AuditProperties {
        if (retention.compareTo(Duration.ofDays(30)) < 0) {
            throw new IllegalArgumentException("anpr.audit.retention must be at least P30D (is " + retention + ")");
        }
    }
}
