package uk.anprhub.camerahealth;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A camera's reads per hour against its own baseline for that hour of the week: 168 exponentially weighted means
 * of whole hours' counts, learned live (an hour counts only when the hub followed the camera for all of it), and a
 * rolling count of the last 60 minutes (one slot per minute) compared with what the baseline expects for those
 * minutes. About 1.8 KB per camera. Not thread-safe (the tracker's monitor guards it).
 */
final class HourOfWeekRate {

    static final int HOURS_OF_WEEK = 168;

    /** The last hour judged: reads received in it and what the baseline expected (null: not judged). */
    record Verdict(long reads, Double expected, boolean quiet) {
    }

    private final CameraHealthProperties props;
    private final long trackedFromHour; // epoch hour of the first whole hour followed
    private final long trackedFromMinute;
    private final double[] mean = new double[HOURS_OF_WEEK];
    private final byte[] weeks = new byte[HOURS_OF_WEEK]; // hours learned per bucket, capped
    private final int[] minutes = new int[60];
    private long hour;       // epoch hour being counted
    private long hourReads;
    private long minute;     // epoch minute of the newest minute slot

    HourOfWeekRate(CameraHealthProperties props, Instant trackedFrom) {
        this.props = props;
        long m = Math.floorDiv(trackedFrom.getEpochSecond(), 60);
        this.trackedFromMinute = m;
        this.hour = Math.floorDiv(m, 60);
        this.trackedFromHour = m % 60 == 0 && trackedFrom.getEpochSecond() % 60 == 0 ? hour : hour + 1;
        this.minute = m;
    }

    /** A read received at {@code at} (counted in the current hour and minute, never in a past one). */
    void add(Instant at) {
        roll(at);
        hourReads++;
        minutes[(int) Math.floorMod(minute, 60)]++;
    }

    /** Moves to the hour and minute of {@code now}, folding each whole hour that ended into its bucket. */
    void roll(Instant now) {
        long m = Math.floorDiv(now.getEpochSecond(), 60);
        if (m <= minute) {
            return;
        }
        for (long i = minute + 1, n = 0; i <= m && n < 60; i++, n++) {
            minutes[(int) Math.floorMod(i, 60)] = 0;
        }
        minute = m;
        long h = Math.floorDiv(m, 60);
        // hours with no read at all between the counted one and now count 0 (a week of them at most)
        for (long i = hour, n = 0; i < h && n <= HOURS_OF_WEEK; i++, n++) {
            if (i >= trackedFromHour) {
                learn(i, i == hour ? hourReads : 0);
            }
        }
        if (h > hour) {
            hour = h;
            hourReads = 0;
        }
    }

    private void learn(long epochHour, long reads) {
        int b = bucket(epochHour);
        mean[b] = weeks[b] == 0 ? reads : mean[b] + props.baselineSmoothing() * (reads - mean[b]);
        if (weeks[b] < Byte.MAX_VALUE) {
            weeks[b]++;
        }
    }

    int bucket(long epochHour) {
        ZonedDateTime t = Instant.ofEpochSecond(epochHour * 3600).atZone(props.weekZone());
        return (t.getDayOfWeek().getValue() - 1) * 24 + t.getHour();
    }

    /**
     * The last 60 minutes (this one included) against the baseline of the hours they fall in. Not judged while the
     * hub has followed the camera for less than an hour, while either hour's bucket learned fewer than
     * {@code baselineMinWeeks} weeks, or when the baseline expects fewer than {@code quietMinExpected} reads.
     */
    Verdict judge(Instant now) {
        roll(now);
        long reads = 0;
        for (int c : minutes) {
            reads += c;
        }
        if (minute - trackedFromMinute < 60) {
            return new Verdict(reads, null, false);
        }
        long inThisHour = Math.floorMod(minute, 60) + 1; // slots of the window in the current hour
        int now0 = bucket(hour);
        int before = bucket(hour - 1);
        if (weeks[now0] < props.baselineMinWeeks() || (inThisHour < 60 && weeks[before] < props.baselineMinWeeks())) {
            return new Verdict(reads, null, false);
        }
        double expected = (inThisHour * mean[now0] + (60 - inThisHour) * mean[before]) / 60.0;
        if (expected < props.quietMinExpected()) {
            return new Verdict(reads, expected, false);
        }
        return new Verdict(reads, expected, reads < props.quietFactor() * expected);
    }

    /** The learned mean of a bucket (tests), NaN before its first whole hour. */
    double baseline(int bucket) {
        return weeks[bucket] == 0 ? Double.NaN : mean[bucket];
    }

    int weeks(int bucket) {
        return weeks[bucket];
    }
}
