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
 * @param qualityReads        reads in the quality window (the camera's last {@code quality-window} reads)
 * @param unreadableReads     of those, reads whose plate had characters the camera could not read (vrm-best-guess)
 * @param lowConfidenceReads  of those, reads below {@code low-confidence}
 * @param poorReadShare       share of those that are unreadable or low-confidence (null: no read yet)
 * @param poorReads           flagged: at least {@code quality-min-reads} reads and the share above {@code poor-share}
 * @param readsLastHour       reads received in the last 60 minutes
 * @param expectedLastHour    what the hour-of-week baseline expects for those minutes (null: not judged yet)
 * @param quiet               flagged: far below that baseline while not silent
 */
public record CameraStatus(String cameraId, String state, Instant lastReadAt, Instant lastCaptureAt,
                           Long silentForSeconds, Double normalGapSeconds, long silentAfterSeconds,
                           Double driftSeconds, boolean drifting, long backdatedReads, long backdatedBursts,
                           int qualityReads, int unreadableReads, int lowConfidenceReads, Double poorReadShare,
                           boolean poorReads, long readsLastHour, Double expectedLastHour, boolean quiet) {

    public static final String OK = "ok";
    public static final String SILENT = "silent";
    public static final String NEVER_SEEN = "never-seen";
}
