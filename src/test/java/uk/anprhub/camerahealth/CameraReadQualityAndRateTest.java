package uk.anprhub.camerahealth;

import org.junit.jupiter.api.Test;
import uk.anprhub.store.CommitListener.Committed;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The share of poor reads and the hour-of-week read-rate baseline, with a clock the test moves. */
class CameraReadQualityAndRateTest {

    final CameraHealthTest.TestClock clock = new CameraHealthTest.TestClock(); // Sunday 2026-12-06 10:00 UTC

    static CameraHealthProperties props(int baselineMinWeeks) {
        // floor 15 min: a read every 5 min is quiet, not silent; low confidence < 60; 30 % over at least 50 of the last 100
        return new CameraHealthProperties(Duration.ofMinutes(15), 10, 0.1, Duration.ofSeconds(10), 5,
                Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(5),
                60, 100, 50, 0.3, 0.25, 20, 0.5, baselineMinWeeks, ZoneId.of("Europe/London"));
    }

    CameraHealth health = new CameraHealth(props(2), clock);

    void read(Integer confidence, boolean bestGuess) {
        health.record(List.of(new Committed("CAM-A", clock.now.minusMillis(300), clock.now, null, null, null,
                confidence, bestGuess)));
    }

    CameraStatus status() {
        return health.statuses().stream().filter(s -> s.cameraId().equals("CAM-A")).findFirst().orElseThrow();
    }

    List<String> changes(String kind) {
        return health.evaluate().stream().filter(c -> c.kind().equals(kind)).map(CameraHealth.Change::to).toList();
    }

    @Test
    void aCameraOverThePoorShareIsFlaggedOnlyOnceItHasEnoughReadsAndClearedWhenItReadsWellAgain() {
        health.registered(List.of("CAM-A"));
        for (int i = 0; i < 49; i++) { // 10 unreadable, 10 low confidence, 1 both, 28 good (no confidence counts as good)
            Integer confidence = i < 10 ? Integer.valueOf(90) : i < 20 ? Integer.valueOf(59) : i == 20 ? Integer.valueOf(10)
                    : i % 2 == 0 ? null : Integer.valueOf(60);
            read(confidence, i < 10 || i == 20);
        }
        assertThat(changes("quality")).as("49 reads: not judged").isEmpty();
        CameraStatus s = status();
        assertThat(s.qualityReads()).isEqualTo(49);
        assertThat(s.unreadableReads()).isEqualTo(11);
        assertThat(s.lowConfidenceReads()).isEqualTo(11);
        assertThat(s.poorReadShare()).isEqualTo(Math.round(21 / 49.0 * 1000) / 1000.0);
        assertThat(s.poorReads()).isFalse();

        read(95, false); // 50 reads, 21 poor = 42 %
        assertThat(changes("quality")).containsExactly("poor");
        assertThat(status().poorReads()).isTrue();
        assertThat(health.poorReads()).isEqualTo(1);

        for (int i = 0; i < 71; i++) { // the window keeps the last 100: the 21 poor ones (up to the 21st read) slide out
            read(95, false);
        }
        assertThat(changes("quality")).containsExactly("ok");
        assertThat(status().qualityReads()).isEqualTo(100);
        assertThat(status().poorReadShare()).isEqualTo(0.0);
        assertThat(health.poorReads()).isZero();
    }

    @Test
    void exactlyThePoorShareIsNotFlagged() {
        health.registered(List.of("CAM-A"));
        for (int i = 0; i < 100; i++) {
            read(i < 30 ? 20 : 80, false); // 30 %: not above
        }
        assertThat(changes("quality")).isEmpty();
        read(20, false); // the oldest (poor) slides out, a poor one in: still 30 %
        assertThat(changes("quality")).isEmpty();
    }

    /** One read every {@code every} for {@code duration}, evaluating as the hub does. */
    void send(Duration every, Duration duration) {
        for (Instant end = clock.now.plus(duration); clock.now.isBefore(end); clock.advance(every)) {
            read(90, false);
            health.evaluate();
        }
    }

    @Test
    void aCameraFarBelowItsHourOfWeekBaselineIsQuietAndOkAgainWhenBack() {
        health.registered(List.of("CAM-A"));
        send(Duration.ofMinutes(1), Duration.ofDays(14)); // two weeks at 60 reads an hour, every hour
        health.evaluate(); // Sunday 10:00 again
        assertThat(status().readsLastHour()).as("the last 60 minutes, 10:00 (no read yet) included").isEqualTo(59);
        assertThat(status().expectedLastHour()).isEqualTo(60.0);
        assertThat(status().quiet()).isFalse();

        Instant quietFrom = clock.now;
        boolean seen = false;
        for (int i = 0; i < 12 * 3 && !seen; i++) { // a fifth of its rate (a read every 5 min) for up to 3 h
            read(90, false);
            for (int m = 0; m < 5 && !seen; m++) {
                clock.advance(Duration.ofMinutes(1));
                seen = changes("rate").contains("quiet");
            }
        }
        Duration after = Duration.between(quietFrom, clock.now);
        System.out.println("quiet " + after.toMinutes() + " min after its rate fell to a fifth: "
                + status().readsLastHour() + " reads in the last hour, expected " + status().expectedLastHour());
        assertThat(seen).isTrue();
        // below a quarter of 60 once the rolling hour holds fewer than 15 reads: just before the hour is over
        assertThat(after).isBetween(Duration.ofMinutes(50), Duration.ofMinutes(61));
        assertThat(status().quiet()).isTrue();
        assertThat(status().state()).as("quiet is not silent").isEqualTo("ok");
        assertThat(health.quiet()).isEqualTo(1);

        send(Duration.ofMinutes(1), Duration.ofMinutes(61)); // back to normal
        assertThat(status().quiet()).isFalse();
        assertThat(health.quiet()).isZero();
    }

    @Test
    void aCameraWithTooLittleHistoryIsNotJudged() {
        health.registered(List.of("CAM-A"));
        send(Duration.ofMinutes(1), Duration.ofDays(7)); // one week learned, two needed
        send(Duration.ofMinutes(5), Duration.ofHours(3));
        assertThat(status().expectedLastHour()).isNull();
        assertThat(status().quiet()).isFalse();
        assertThat(status().readsLastHour()).isEqualTo(12);
    }

    @Test
    void aSilentCameraIsSilentNotQuiet() {
        health.registered(List.of("CAM-A"));
        send(Duration.ofMinutes(1), Duration.ofDays(14));
        clock.advance(Duration.ofHours(1)); // nothing at all
        List<CameraHealth.Change> changes = health.evaluate();
        assertThat(changes).extracting(CameraHealth.Change::to).contains("silent").doesNotContain("quiet");
        assertThat(status().quiet()).isFalse();
    }

    @Test
    void aHourTheHubDidNotFollowWhollyIsNotLearnedAndBucketsFollowLocalTime() {
        CameraHealthProperties p = props(1);
        clock.now = Instant.parse("2026-07-06T00:30:00Z"); // Monday 01:30 BST
        HourOfWeekRate rate = new HourOfWeekRate(p, clock.now);
        assertThat(rate.bucket(clock.now.getEpochSecond() / 3600)).isEqualTo(1);
        assertThat(rate.bucket(Instant.parse("2026-12-07T00:00:00Z").getEpochSecond() / 3600)).as("Monday 00:00 GMT").isZero();
        assertThat(rate.bucket(Instant.parse("2026-12-06T23:00:00Z").getEpochSecond() / 3600)).as("Sunday 23:00").isEqualTo(167);
        for (int i = 0; i < 90; i++) { // 30 reads in the part of 01:xx followed, 60 in 02:xx
            rate.add(clock.now);
            clock.advance(Duration.ofMinutes(1));
        }
        rate.roll(clock.now); // 03:00 BST
        assertThat(rate.weeks(1)).as("01:xx followed from 01:30 only").isZero();
        assertThat(rate.baseline(2)).isEqualTo(60.0);
        clock.advance(Duration.ofHours(3)); // hours without a read count 0
        rate.roll(clock.now);
        assertThat(rate.baseline(3)).isZero();
        assertThat(rate.baseline(5)).isZero();
        assertThat(rate.baseline(6)).as("06:xx not over yet").isNaN();
        HourOfWeekRate.Verdict v = rate.judge(clock.now);
        assertThat(v.reads()).isZero();
        assertThat(v.expected()).as("06:xx has not learned a week yet: not judged").isNull();
        assertThat(v.quiet()).isFalse();
    }
}
