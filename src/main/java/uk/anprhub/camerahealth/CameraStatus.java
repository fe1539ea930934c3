package uk.anprhub.camerahealth;

import java.time.Instant;

/**
 * One camera's health as the API answers it: ids, times and figures only, never a plate.
 *
 * @param state               {@code ok}, {@code silent} or {@code never-seen}
 * @param lastReadAt          when the hub received the camera's last read (null: never seen)
 * @param lastCaptureAt       the capture time of that read
 * @param silentForSeconds    seconds since the last read while silent, else null
 * @param normalGapSeconds    the learned normal gap between reads (null until two reads arrived)
 * @param silentAfterSeconds  the bound: silent after this many seconds without a read
 * @param driftSeconds        median of (received − captured) over the last reads (null: none yet)
 * @param drifting            drift beyond the limit
 * @param backdatedReads      reads received long after their capture (edge buffer emptying), since start
 * @param backdatedBursts     bursts of such reads, since start
 */
public record CameraStatus(String cameraId, String state, Instant lastReadAt, Instant lastCaptureAt,
                           Long silentForSeconds, Double normalGapSeconds, long silentAfterSeconds,
                           Double driftSeconds, boolean drifting, long backdatedReads, long backdatedBursts) {

    public static final String OK = "ok";
    public static final String SILENT = "silent";
    public static final String NEVER_SEEN = "never-seen";
}
