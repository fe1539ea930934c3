package uk.anprhub.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ExponentialBackoffTest {

    @Test
    void doublesPerAttemptUpToMax() {
        ExponentialBackoff b = new ExponentialBackoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.delay(6)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10)); // no overflow, and at once
        ExponentialBackoff wide = new ExponentialBackoff(Duration.ofMillis(1), Duration.ofMillis(Long.MAX_VALUE));
        assertThat(wide.delay(63)).isEqualTo(Duration.ofMillis(1L << 62));
        assertThat(wide.delay(64).toMillis()).isGreaterThanOrEqualTo(1L << 62);
    }

    @Test
    void edgeCases() {
        assertThat(new ExponentialBackoff(Duration.ofMillis(500), Duration.ofSeconds(10)).delay(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(new ExponentialBackoff(Duration.ZERO, Duration.ofSeconds(10)).delay(7)).isEqualTo(Duration.ZERO);
        assertThat(new ExponentialBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)).delay(1)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterKeepsHalfAndStaysWithinTheDelay() {
        ExponentialBackoff b = new ExponentialBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
        for (int i = 0; i < 200; i++) {
            assertThat(b.delayWithJitter(3).toMillis()).isBetween(2000L, 4000L);
        }
        assertThat(new ExponentialBackoff(Duration.ZERO, Duration.ofSeconds(1)).delayWithJitter(3)).isEqualTo(Duration.ZERO);
    }
}
