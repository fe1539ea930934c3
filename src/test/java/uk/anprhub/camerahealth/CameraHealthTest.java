package uk.anprhub.camerahealth;

import org.junit.jupiter.api.Test;
import uk.anprhub.store.CommitListener.Committed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The state logic with a clock the test moves. */
class CameraHealthTest {

    /** A clock the test sets. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final TestClock clock = new TestClock();

    static CameraHealthProperties props(Duration floor, double factor) {
        return new CameraHealthProperties(floor, factor, 0.5, Duration.ofSeconds(10), 5, Duration.ofMinutes(5),
                Duration.ofMinutes(1), Duration.ofSeconds(1));
    }

    CameraHealth health = new CameraHealth(props(Duration.ofSeconds(20), 3), clock);

    void read(String camera, Duration late) {
        health.record(List.of(new Committed(camera, clock.now.minus(late), clock.now)));
    }

    CameraStatus status(String camera) {
        return health.statuses().stream().filter(s -> s.cameraId().equals(camera)).findFirst().orElseThrow();
    }

    @Test
    void registeredCameraThatNeverSentIsNeverSeenNotSilent() {
        health.registered(List.of("CAM-A", "CAM-B"));
        clock.advance(Duration.ofDays(1));
        assertThat(health.evaluate()).isEmpty();
        assertThat(status("CAM-A").state()).isEqualTo("never-seen");
        assertThat(health.count("silent")).isZero();
    }

    @Test
    void silentAfterTheLearnedBoundAndOkWhenReadsComeBack() {
        health.registered(List.of("CAM-A"));
        for (int i = 0; i < 10; i++) { // a read every 10 s: bound max(20 s, 3 x 10 s) = 30 s
            read("CAM-A", Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(10));
        }
        health.evaluate();
        assertThat(status("CAM-A").state()).isEqualTo("ok");
        assertThat(status("CAM-A").normalGapSeconds()).isEqualTo(10.0);
        assertThat(status("CAM-A").silentAfterSeconds()).isEqualTo(30);

        clock.advance(Duration.ofSeconds(19)); // 29 s since the last read
        assertThat(health.evaluate()).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        List<CameraHealth.Change> changes = health.evaluate();
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.to()).isEqualTo("silent");
            assertThat(c.silentFor()).isEqualTo(Duration.ofSeconds(31));
        });
        assertThat(health.count("silent")).isEqualTo(1);
        assertThat(status("CAM-A").silentForSeconds()).isEqualTo(31);

        clock.advance(Duration.ofMinutes(10));
        read("CAM-A", Duration.ofSeconds(1));
        assertThat(health.evaluate()).singleElement().satisfies(c -> {
            assertThat(c.from()).isEqualTo("silent");
            assertThat(c.to()).isEqualTo("ok");
            assertThat(c.silentFor()).isEqualTo(Duration.ofSeconds(631));
        });
        assertThat(status("CAM-A").normalGapSeconds()).as("the silence is not learned as a normal gap").isEqualTo(10.0);
        assertThat(health.count("silent")).isZero();
    }

    @Test
    void theFloorHoldsForACameraThatSendsOften() {
        health.registered(List.of("CAM-A"));
        for (int i = 0; i < 5; i++) {
            read("CAM-A", Duration.ZERO);
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofSeconds(15)); // 3 x 1 s passed long ago, the 20 s floor not yet
        health.evaluate();
        assertThat(status("CAM-A").state()).isEqualTo("ok");
        clock.advance(Duration.ofSeconds(6));
        health.evaluate();
        assertThat(status("CAM-A").state()).isEqualTo("silent");
    }

    @Test
    void aClockThirtySecondsOffIsFlaggedAndAGoodOneIsNot() {
        health.registered(List.of("CAM-A", "CAM-B"));
        for (int i = 0; i < 5; i++) {
            read("CAM-A", Duration.ofSeconds(-30)); // captured 30 s "after" it arrived: its clock is ahead
            read("CAM-B", Duration.ofMillis(400));
            clock.advance(Duration.ofSeconds(2));
        }
        List<CameraHealth.Change> changes = health.evaluate().stream().filter(c -> c.kind().equals("drift")).toList();
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.cameraId()).isEqualTo("CAM-A");
            assertThat(c.driftSeconds()).isEqualTo(-30.0);
        });
        assertThat(status("CAM-A").drifting()).isTrue();
        assertThat(status("CAM-B").drifting()).isFalse();
        assertThat(status("CAM-B").driftSeconds()).isEqualTo(0.4);
        assertThat(health.drifting()).isEqualTo(1);

        for (int i = 0; i < 5; i++) { // clock fixed: the median over the window follows
            read("CAM-A", Duration.ofMillis(200));
        }
        assertThat(health.evaluate()).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("ok"));
        assertThat(health.drifting()).isZero();
    }

    @Test
    void oneOddReadDoesNotMoveTheMedian() {
        health.registered(List.of("CAM-A"));
        for (int i = 0; i < 4; i++) {
            read("CAM-A", Duration.ofSeconds(1));
        }
        read("CAM-A", Duration.ofSeconds(-120));
        health.evaluate();
        assertThat(status("CAM-A").drifting()).isFalse();
        assertThat(status("CAM-A").driftSeconds()).isEqualTo(1.0);
    }

    @Test
    void backDatedReadsAfterAReconnectAreCountedInBurstsAndKeptOutOfTheDrift() {
        health.registered(List.of("CAM-A"));
        read("CAM-A", Duration.ofSeconds(1));
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 50; i++) { // the edge buffer empties: reads of the last hour arrive together
            read("CAM-A", Duration.ofMinutes(60 - i));
        }
        clock.advance(Duration.ofSeconds(10));
        read("CAM-A", Duration.ofMinutes(30)); // same burst (within a minute)
        clock.advance(Duration.ofMinutes(5));
        read("CAM-A", Duration.ofMinutes(20)); // a second one
        health.evaluate();
        CameraStatus s = status("CAM-A");
        assertThat(s.backdatedReads()).isEqualTo(52);
        assertThat(s.backdatedBursts()).isEqualTo(2);
        assertThat(s.driftSeconds()).isEqualTo(1.0);
        assertThat(s.drifting()).isFalse();
    }

    @Test
    void seededCamerasGoSilentOnTheFirstEvaluationWhenTheirLastReadIsOld() {
        health.registered(List.of("CAM-A", "CAM-B"));
        health.seed("CAM-A", clock.now.minus(Duration.ofHours(3)), clock.now.minus(Duration.ofHours(3)));
        health.seed("CAM-B", clock.now.minus(Duration.ofSeconds(5)), clock.now.minus(Duration.ofSeconds(6)));
        assertThat(health.evaluate()).singleElement().satisfies(c -> {
            assertThat(c.cameraId()).isEqualTo("CAM-A");
            assertThat(c.to()).isEqualTo("silent");
        });
        assertThat(status("CAM-B").state()).isEqualTo("ok");
        assertThat(status("CAM-B").lastReadAt()).isEqualTo(clock.now.minus(Duration.ofSeconds(5)));
    }

    @Test
    void camerasLeavingTheRegistryAreForgotten() {
        health.registered(List.of("CAM-A", "CAM-B"));
        read("CAM-A", Duration.ZERO);
        health.registered(List.of("CAM-B"));
        assertThat(health.statuses()).extracting(CameraStatus::cameraId).containsExactly("CAM-B");
    }
}
