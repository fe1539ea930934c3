package uk.anprhub.camerahealth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.time.ZoneId;

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
 * @param lowConfidence  a read whose confidence (0-100) is below this is low-confidence
 * @param qualityWindow  the share of poor reads (unreadable characters or low confidence) is over the camera's last this many reads
 * @param qualityMinReads a camera is not judged on fewer reads in that window
 * @param poorShare      a camera whose share of poor reads is above this (0..1) is flagged
 * @param quietFactor    quiet when its reads in the last hour are fewer than this × its baseline for those hours
 * @param quietMinExpected not judged quiet when its baseline expects fewer reads than this in the hour
 * @param baselineSmoothing weight of the newest week's count in an hour-of-week baseline (0..1)
 * @param baselineMinWeeks  an hour-of-week is judged only once it learned this many weeks
 * @param weekZone       the zone whose hours of the week the baseline follows (traffic keeps local time)
 */
@ConfigurationProperties("anpr.camera-health")
public record CameraHealthProperties(@DefaultValue("15m") Duration floor,
                                     @DefaultValue("10") double factor,
                                     @DefaultValue("0.1") double smoothing,
                                     @DefaultValue("10s") Duration driftLimit,
                                     @DefaultValue("25") int driftWindow,
                                     @DefaultValue("5m") Duration backdatedAfter,
                                     @DefaultValue("1m") Duration burstGap,
                                     @DefaultValue("5s") Duration evaluateEvery,
                                     @DefaultValue("60") int lowConfidence,
                                     @DefaultValue("100") int qualityWindow,
                                     @DefaultValue("50") int qualityMinReads,
                                     @DefaultValue("0.3") double poorShare,
                                     @DefaultValue("0.25") double quietFactor,
                                     @DefaultValue("20") double quietMinExpected,
                                     @DefaultValue("0.2") double baselineSmoothing,
                                     @DefaultValue("3") int baselineMinWeeks,
                                     @DefaultValue("Europe/London") ZoneId weekZone) {

    @ConstructorBinding // a second constructor below (tests)
    public CameraHealthProperties {
        if (factor <= 0 || smoothing <= 0 || smoothing > 1 || driftWindow < 1) {
            throw new IllegalArgumentException("anpr.camera-health: factor > 0, 0 < smoothing <= 1, drift-window >= 1");
        }
        if (qualityWindow < 1 || qualityMinReads < 1 || qualityMinReads > qualityWindow || poorShare < 0 || poorShare > 1) {
            throw new IllegalArgumentException("anpr.camera-health: quality-window >= quality-min-reads >= 1, 0 <= poor-share <= 1");
        }
        if (quietFactor <= 0 || quietFactor >= 1 || baselineSmoothing <= 0 || baselineSmoothing > 1
                || baselineMinWeeks < 1 || baselineMinWeeks > 100) {
            throw new IllegalArgumentException("anpr.camera-health: 0 < quiet-factor < 1, 0 < baseline-smoothing <= 1, "
                    + "1 <= baseline-min-weeks <= 100");
        }
    }

    /** The defaults of the quality and baseline settings (tests that set only the original ones). */
    CameraHealthProperties(Duration floor, double factor, double smoothing, Duration driftLimit, int driftWindow,
                           Duration backdatedAfter, Duration burstGap, Duration evaluateEvery) {
        this(floor, factor, smoothing, driftLimit, driftWindow, backdatedAfter, burstGap, evaluateEvery,
                60, 100, 50, 0.3, 0.25, 20, 0.2, 3, ZoneId.of("Europe/London"));
    }
}
