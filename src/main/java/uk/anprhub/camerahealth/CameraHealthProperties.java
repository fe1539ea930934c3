package uk.anprhub.camerahealth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code anpr.camera-health.*} (docs/camera-health.md).
 *
 * @param floor          a camera is never silent sooner than this after its last read
 * @param factor         silent after {@code max(floor, factor × normal gap)} without a read
 * @param smoothing      weight of a new gap in the normal gap (exponentially weighted mean, 0..1)
 * @param driftLimit     clock drift (median of received − captured) beyond ± this is flagged
 * @param driftWindow    reads the drift median is taken over
 * @param backdatedAfter a read received this long after its capture is back-dated (an edge buffer emptying), not drift
 * @param burstGap       back-dated reads closer together than this belong to one burst
 * @param evaluateEvery  how often states are evaluated
 */
@ConfigurationProperties("anpr.camera-health")
public record CameraHealthProperties(@DefaultValue("15m") Duration floor,
                                     @DefaultValue("10") double factor,
                                     @DefaultValue("0.1") double smoothing,
                                     @DefaultValue("10s") Duration driftLimit,
                                     @DefaultValue("25") int driftWindow,
                                     @DefaultValue("5m") Duration backdatedAfter,
                                     @DefaultValue("1m") Duration burstGap,
                                     @DefaultValue("5s") Duration evaluateEvery) {

    public CameraHealthProperties {
        if (factor <= 0 || smoothing <= 0 || smoothing > 1 || driftWindow < 1) {
            throw new IllegalArgumentException("anpr.camera-health: factor > 0, 0 < smoothing <= 1, drift-window >= 1");
        }
    }
}
