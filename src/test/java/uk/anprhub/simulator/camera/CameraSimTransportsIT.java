package uk.anprhub.simulator.camera;

import uk.anprhub.support.FreePorts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator over TCP (the shipped nas-json and axis-lpv-json TCP routes, acks "{stored} {duplicates}") and FTP
 * (the hub's embedded FTP server) against the whole hub: real sockets, real PostgreSQL (this context's own).
 */
@TestPropertySource(properties = {
        "camel.main.routes-include-pattern=file:routes/*.camel.yaml",
        "anpr.tcp.feeds.nas-json.framing=line",
        "anpr.tcp.feeds.nas-json.ack={stored} {duplicates}\\n",
        "anpr.tcp.feeds.axis-lpv-json.framing=stx-etx",
        "anpr.tcp.feeds.axis-lpv-json.ack={stored} {duplicates}\\n",
        "anpr.ftp.enabled=true",
        "anpr.ftp.passive-ports=0",
        "anpr.ftp.address=127.0.0.1",
        "anpr.ftp.quiet-period=1s",
        "anpr.ftp.scan-interval=300ms",
        "logging.level.org.apache.ftpserver.impl.PassivePorts=ERROR"})
class CameraSimTransportsIT extends HubIT {

    private static final String FTP_PASSWORD = "camera-test-password";
    private static final TestDatabase DB;
    private static final int NAS_PORT = FreePorts.next(), AXIS_PORT = FreePorts.next(), FTP_PORT = FreePorts.next();

    static {
        try {
            DB = TestDatabase.start();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void transports(DynamicPropertyRegistry r) {
        r.add("anpr.db.url", DB::jdbcUrl);
        r.add("anpr.tcp.feeds.nas-json.port", () -> NAS_PORT);
        r.add("anpr.tcp.feeds.axis-lpv-json.port", () -> AXIS_PORT);
        r.add("anpr.ftp.port", () -> FTP_PORT);
        // a list binds from one property source only: the whole account here
        r.add("anpr.ftp.accounts[0].user", () -> "sharpv");
        r.add("anpr.ftp.accounts[0].folder", () -> "sharpv");
        r.add("anpr.ftp.accounts[0].feed", () -> "genetec-sharpv-ftp");
        r.add("anpr.ftp.accounts[0].cameras", () -> "SIM-GENETEC-*, MPS-GEN-*"); // one account, a group of cameras
        r.add("anpr.ftp.accounts[0].password-hash", () -> new BCryptPasswordEncoder(4).encode(FTP_PASSWORD));
    }

    @Autowired
    CameraRegistry registry;

    @Test
    void tcpLineFramingCountsStoredDuplicatesAndRefused() throws Exception {
        int before = jdbc.queryForObject("select count(*) from nas_read", Integer.class);
        SimReport r = new SimRun(new SimSettings(4, 0, Duration.ofSeconds(60), 300, Duration.ZERO, 0.2, 0.2),
                new CanonicalReads("MPS-DEMO-", 10, 3), TcpSender.factory("127.0.0.1", NAS_PORT, "line")).run("tcp", "nas-json");
        int after = jdbc.queryForObject("select count(*) from nas_read", Integer.class);
        assertThat(r.failedRequests()).isZero();
        assertThat(r.refusedRequests()).as("future-time reads acked 0 0").isPositive();
        assertThat(r.duplicateReads()).as("repeats").isPositive();
        assertThat(after - before).isEqualTo((int) r.storedReads());
        assertThat(r.statuses()).containsKey("ack");
    }

    @Test
    void tcpStxEtxVendorTemplatesAreRowsOfTheSimulatedCameras() throws Exception {
        VendorTemplates t = templates("axis-lpv-json", 5);
        CameraSimIT.Recording source = new CameraSimIT.Recording(TcpSender.factory("127.0.0.1", AXIS_PORT, "stx-etx"));
        SimReport r = new SimRun(new SimSettings(2, 0, Duration.ofSeconds(60), 40, Duration.ZERO, 0.25, 0),
                t, source).run("tcp", "axis-lpv-json");
        List<String> rows = jdbc.queryForList("select vrm from nas_read where camera_id like 'SIM-AXIS-%'", String.class);
        assertThat(r.failedRequests()).isZero();
        assertThat(r.duplicateReads()).isPositive();
        assertThat(rows).hasSize((int) r.storedReads()).doesNotHaveDuplicates();
        assertThat(source.plates).containsAll(rows);
    }

    @Test
    void ftpUploadsVariedFileNamesAndTheHubStoresThemAfterTheAcknowledgement() throws Exception {
        VendorTemplates t = templates("genetec-sharpv-ftp", 3);
        CameraSimIT.Recording source = new CameraSimIT.Recording(FtpSender.factory("127.0.0.1", FTP_PORT, "sharpv", FTP_PASSWORD));
        long quarantinedBefore = jdbc.queryForObject("select count(*) from quarantine where feed = 'genetec-sharpv-ftp'", Long.class);
        SimReport r = new SimRun(new SimSettings(2, 0, Duration.ofSeconds(60), 30, Duration.ZERO, 0.2, 0.2),
                t, source).run("ftp", "genetec-sharpv-ftp");
        assertThat(r.failedRequests()).isZero();
        assertThat(r.statuses()).containsOnlyKeys("226");
        assertThat(r.storedReads()).as("FTP does not say what was stored").isEqualTo(-1);
        // 226 = on the hub's disk; the rows come after the commit
        List<String> rows = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> jdbc.queryForList("select vrm from nas_read where camera_id like 'SIM-GENETEC-%'", String.class),
                        found -> found.size() >= source.plates.size());
        assertThat(new HashSet<>(rows)).as("each distinct upload once, repeats not stored twice")
                .hasSize(rows.size()).isEqualTo(source.plates);
        assertThat(jdbc.queryForObject("select count(distinct camera_id) from nas_read where camera_id like 'SIM-GENETEC-%'",
                Integer.class)).isGreaterThan(1);
        long quarantined = jdbc.queryForObject("select count(*) from quarantine where feed = 'genetec-sharpv-ftp'", Long.class);
        assertThat(quarantined).as("bad share quarantined").isGreaterThan(quarantinedBefore);
    }

    private VendorTemplates templates(String vendor, int cameras) throws Exception {
        CameraRegistry demo = new CameraRegistry(Path.of("src", "test", "resources", "cameras"));
        demo.reload();
        List<String> notes = new ArrayList<>();
        VendorTemplates t = VendorTemplates.load(vendor, Path.of("connectors"), demo.cameras(), cameras, true, notes::add);
        assertThat(notes).as("every sample of " + vendor + " fully variable").isEmpty();
        Files.writeString(CAMERAS.resolve("sim-" + vendor + ".yaml"), t.registryYaml());
        registry.reload();
        return t;
    }

}
