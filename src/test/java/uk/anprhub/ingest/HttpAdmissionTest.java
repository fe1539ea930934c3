package uk.anprhub.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HttpAdmissionTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void bytesAreReservedUpFrontAndGivenBackOnce() {
        HttpAdmission a = new HttpAdmission(3_000_000, 100, Duration.ofSeconds(15), meters);
        HttpAdmission.Ticket one = a.admit(1_000_000);
        HttpAdmission.Ticket two = a.admit(1_500_000);
        assertThat(one).isNotNull();
        assertThat(two).isNotNull();
        assertThat(a.admit(600_000)).as("beyond the budget").isNull();
        assertThat(meters.get("anpr_http_ingest_bytes_in_flight").gauge().value()).isEqualTo(2_500_000);
        one.release();
        one.release(); // twice counts once
        assertThat(meters.get("anpr_http_ingest_bytes_in_flight").gauge().value()).isEqualTo(1_500_000);
        assertThat(meters.get("anpr_http_ingest_requests_in_flight").gauge().value()).isEqualTo(1);
        assertThat(a.admit(600_000)).isNotNull();
    }

    @Test
    void requestsAreCountedWhateverTheirSize() {
        HttpAdmission a = new HttpAdmission(1_000_000, 2, Duration.ofSeconds(15), meters);
        HttpAdmission.Ticket one = a.admit(0);
        assertThat(a.admit(0)).isNotNull();
        assertThat(a.admit(0)).isNull();
        one.release();
        assertThat(a.admit(0)).isNotNull();
    }

    @Test
    void aChunkedBodyGrowsItsShareUntilTheBudgetIsSpent() {
        HttpAdmission a = new HttpAdmission(100_000, 10, Duration.ofSeconds(15), meters);
        HttpAdmission.Ticket t = a.admit(0);
        assertThat(t.grow(60_000)).isTrue();
        assertThat(t.grow(50_000)).as("never shrinks below what it holds").isTrue();
        assertThat(t.grow(100_001)).isFalse();
        assertThat(t.grow(100_000)).isTrue();
        t.release();
        assertThat(meters.get("anpr_http_ingest_bytes_in_flight").gauge().value()).isZero();
        assertThat(t.grow(10)).as("a released ticket takes nothing").isFalse();
    }

    @Test
    void theDeadlineRunsFromTheEndOfTheBody() throws Exception {
        HttpAdmission a = new HttpAdmission(1_000, 10, Duration.ofMillis(50), meters);
        HttpAdmission.Ticket t = a.admit(10);
        Thread.sleep(80); // the 50 ms deadline passing is the subject
        assertThat(t.expired()).as("clock not started while the body arrives").isFalse();
        t.startClock();
        assertThat(t.expired()).isFalse();
        Thread.sleep(80); // the 50 ms deadline passing is the subject
        assertThat(t.expired()).isTrue();
    }

    @Test
    void theDefaultBudgetIsASixteenthOfTheHeapAndHoldsAtLeastOneLargestBody() {
        long heap = Runtime.getRuntime().maxMemory();
        assertThat(http(DataSize.ofBytes(1), null).bytesInFlight()).isEqualTo(heap / 16);
        assertThat(http(DataSize.ofMegabytes(10), DataSize.ofMegabytes(1)).bytesInFlight()).isEqualTo((10 << 20) + 1);
    }

    private static HttpFeedProperties http(DataSize maxBody, DataSize maxBytesInFlight) {
        return new HttpFeedProperties(maxBody, Duration.ofSeconds(30), 64, maxBytesInFlight, 1000, Duration.ofSeconds(15));
    }
}
