package uk.anprhub.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The 7-day window ({@code anpr.retention.*}). The job's timing is read by its {@code @Scheduled} placeholders; it is
 * listed here so it is bound and documented (keep the two defaults equal: ConfigurationDocTest checks them).
 *
 * @param days            reads, raw messages, images and quarantine rows are deleted once older than this; reads
 *                        older than this are refused at ingest
 * @param partitionsAhead daily partitions created ahead of today
 * @param initialDelay    first run of the retention and partition job after start
 * @param period          pause between runs of the job
 */
@ConfigurationProperties("anpr.retention")
public record RetentionProperties(@DefaultValue("7") int days, @DefaultValue("3") int partitionsAhead,
                                  @DefaultValue("1m") Duration initialDelay, @DefaultValue("1h") Duration period) {
}
