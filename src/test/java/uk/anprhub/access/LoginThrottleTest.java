package uk.anprhub.access;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The one failed-login counter of HTTP and FTP logins: limits, lock start reported once, 0 = not counted. */
class LoginThrottleTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void theLimitLocksTheAccountAndReportsTheLockOnce() {
        LoginThrottle t = new LoginThrottle(3, 100, Duration.ofMinutes(10), Duration.ofMinutes(5), NOW);
        assertThat(t.failed("cam", "10.0.0.1")).isEmpty();
        assertThat(t.failed("cam", "10.0.0.2")).isEmpty();
        assertThat(t.failed("cam", "10.0.0.3")).containsExactly("account");
        assertThat(t.locked("cam", "10.9.9.9")).contains(Duration.ofMinutes(5));
        assertThat(t.failed("cam", "10.0.0.4")).isEmpty(); // already locked: no second lock start
        assertThat(t.locked("other", "10.9.9.9")).isEmpty();
    }

    @Test
    void anAddressLocksForEveryAccountAndANullAccountCountsForTheAddressOnly() {
        LoginThrottle t = new LoginThrottle(3, 2, Duration.ofMinutes(10), Duration.ofMinutes(5), NOW);
        assertThat(t.failed(null, "10.0.0.1")).isEmpty();
        assertThat(t.failed("x", "10.0.0.1")).containsExactly("address");
        assertThat(t.locked("anyone", "10.0.0.1")).isPresent();
        assertThat(t.locked("x", "10.0.0.2")).isEmpty();
    }

    @Test
    void aLimitOfZeroIsNotCounted() {
        LoginThrottle t = new LoginThrottle(0, 0, Duration.ofMinutes(10), Duration.ofMinutes(5), NOW);
        for (int i = 0; i < 50; i++) {
            assertThat(t.failed("cam", "10.0.0.1")).isEmpty();
        }
        assertThat(t.locked("cam", "10.0.0.1")).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        Instant start = Instant.parse("2026-12-05T10:00:00Z");
        Clock[] clock = {Clock.fixed(start, ZoneOffset.UTC)};
        LoginThrottle t = new LoginThrottle(2, 100, Duration.ofMinutes(10), Duration.ofMinutes(5), new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return clock[0].instant(); }
        });
        t.failed("cam", "10.0.0.1");
        clock[0] = Clock.fixed(start.plus(Duration.ofMinutes(11)), ZoneOffset.UTC);
        assertThat(t.failed("cam", "10.0.0.1")).isEmpty();
        assertThat(t.locked("cam", "10.0.0.1")).isEmpty();
    }
}
