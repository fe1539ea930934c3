package uk.anprhub.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Disk the hub needs ({@code anpr.disk.*}).
 *
 * @param minFree below this free space on the data dir or the image store, health component {@code disk} is DOWN,
 *                and readiness with it: a load balancer sends cameras elsewhere before writes start failing
 */
@ConfigurationProperties("anpr.disk")
public record DiskLimits(@DefaultValue("512MB") DataSize minFree) {
}
