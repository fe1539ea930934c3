package uk.anprhub.simulator.camera;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.support.HubIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator against the real hub over HTTP: what it reports matches what the store holds. */
class CameraSimIT extends HubIT {

    @Autowired
    CameraRegistry registry;

    @Test
    void reportsWhatTheHubAcknowledged() throws Exception {
        int before = jdbc.queryForObject("select count(*) from nas_read", Integer.class);
        SimReport r = new SimRun(new SimSettings(4, 0, Duration.ofSeconds(60), 500, Duration.ZERO, 0.2, 0.3),
                new CanonicalReads("MPS-DEMO-", 10, 10), HttpSender.factory(uri("/ingest/nas-json")))
                .run("http", "nas-json"); // P(no bad request in ~50) = 0.7^50 ~ 2e-8
        int after = jdbc.queryForObject("select count(*) from nas_read", Integer.class);
        assertThat(r.failedRequests()).isZero();
        assertThat(r.refusedRequests()).isPositive();          // the bad share: future capture times, 422
        assertThat(r.duplicateReads()).isPositive();           // the repeat share
        assertThat(after - before).isEqualTo((int) r.storedReads());
        assertThat(r.summary()).contains("reads/s");
    }

    @Test
    void vendorTemplatesOverHttpAreDistinctRowsOfTheSimulatedCameras() throws Exception {
        for (String vendor : List.of("axis-lpv-json", "hikvision-isapi")) {
            List<String> notes = new ArrayList<>();
            VendorTemplates t = VendorTemplates.load(vendor, Path.of("connectors"), demoCameras(), 5, true, notes::add);
            Files.writeString(CAMERAS.resolve("sim-" + vendor + ".yaml"), t.registryYaml());
            registry.reload();
            Recording senders = new Recording(HttpSender.factory(uri("/ingest/" + vendor)));
            long quarantinedBefore = jdbc.queryForObject("select count(*) from quarantine where feed = ?", Long.class, vendor);
            SimReport r = new SimRun(new SimSettings(3, 0, Duration.ofSeconds(60), 60, Duration.ZERO, 0.25, 0.2),
                    t, senders).run("http", vendor);

            assertThat(r.failedRequests()).as(vendor).isZero();
            assertThat(r.refusedRequests()).as(vendor + " bad share").isPositive();
            assertThat(r.duplicateReads()).as(vendor + " repeats").isPositive();
            String prefix = "SIM-" + t.vendor().toUpperCase() + "-%";
            List<String> rows = jdbc.queryForList("select vrm from nas_read where camera_id like ?", String.class, prefix);
            assertThat(rows).as(vendor + ": every acknowledged new read is a row").hasSize((int) r.storedReads());
            assertThat(new HashSet<>(rows)).as(vendor + ": distinct varied plates").hasSize(rows.size());
            assertThat(senders.plates).as(vendor).containsAll(rows);
            assertThat(jdbc.queryForObject("select count(distinct camera_id) from nas_read where camera_id like ?",
                    Integer.class, prefix)).as(vendor + " spread over simulated cameras").isGreaterThan(1);
            long quarantined = jdbc.queryForObject("select count(*) from quarantine where feed = ?", Long.class, vendor) - quarantinedBefore;
            assertThat(quarantined).as(vendor + " bad share quarantined").isEqualTo(r.refusedRequests());
        }
    }

    private static List<uk.anprhub.camera.Camera> demoCameras() throws Exception {
        CameraRegistry demo = new CameraRegistry(Path.of("src", "test", "resources", "cameras"));
        demo.reload();
        return demo.cameras();
    }

    /** Remembers the plates of the good messages the transport acknowledged, to compare with the store. */
    static final class Recording implements Sender.Factory {
        final Sender.Factory delegate;
        final Set<String> plates = Collections.synchronizedSet(new HashSet<>());

        Recording(Sender.Factory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Sender open() throws java.io.IOException {
            Sender s = delegate.open();
            return new Sender() {
                @Override
                public Ack send(Message m) throws java.io.IOException {
                    Ack a = s.send(m);
                    if (a.outcome() == Outcome.ACKNOWLEDGED) {
                        plates.addAll(m.plates());
                    }
                    return a;
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }
    }
}
