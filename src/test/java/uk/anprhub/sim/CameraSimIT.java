package uk.anprhub.sim;

import org.junit.jupiter.api.Test;
import uk.anprhub.support.HubIT;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator against the real hub: what it reports matches what the store holds. */
class CameraSimIT extends HubIT {

    @Test
    void reportsWhatTheHubAcknowledged() throws Exception {
        int before = jdbc.queryForObject("select count(*) from nas_read", Integer.class);
        SimReport r = new HttpCameraSim(new SimSettings(uri("/ingest/nas-json"), 10, 4, 10, 0, Duration.ofSeconds(60),
                500, Duration.ZERO, 0.2, 0.3)).run(); // P(no bad request in 50) = 0.7^50 ~ 2e-8
        int after = jdbc.queryForObject("select count(*) from nas_read", Integer.class);
        assertThat(r.failedRequests()).isZero();
        assertThat(r.sentRequests()).isEqualTo(50);
        assertThat(r.refusedRequests()).isPositive();          // the bad share: future capture times, 422
        assertThat(r.duplicateReads()).isPositive();           // the repeat share
        assertThat(after - before).isEqualTo((int) r.storedReads());
        assertThat(r.summary()).contains("reads/s");
    }
}
