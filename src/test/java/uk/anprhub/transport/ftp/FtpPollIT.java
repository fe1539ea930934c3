package uk.anprhub.transport.ftp;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/ftp-poll.camel.yaml against a real remote FTP server (a plain Apache FtpServer holding the files, as a
 * camera that keeps them would): fetched, ingested through the hikvision-ftp connector, then moved on the remote
 * server only once settled.
 */
class FtpPollIT extends FtpHubIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Path remote(String kind, String name) {
        // the route's ${date:now:yyyy-MM-dd} uses the JVM's default zone
        return REMOTE.resolve("Driveway").resolve(kind).resolve(LocalDate.now(ZoneId.systemDefault()).toString()).resolve(name);
    }

    @Test
    void aFileOnTheRemoteServerIsFetchedStoredAndMovedToDoneThere() throws Exception {
        String plate = plate();
        String name = hikvisionName(plate);
        byte[] jpeg = sample("hikvision-ftp", "001-plate-in-name.jpg");
        Files.write(REMOTE.resolve("Driveway").resolve(name), jpeg);

        await("stored", WAIT, () -> reads(plate, "MPS-HIK-0003") == 1);
        await("moved to done/ on the remote server", WAIT, () -> Files.exists(remote("done", name)));
        assertThat(remote("done", name)).hasBinaryContent(jpeg);
        assertThat(REMOTE.resolve("Driveway").resolve(name)).doesNotExist();
        assertThat(jdbc.queryForObject("select transport from raw_message where filename = ?", String.class, name)).isEqualTo("ftp");
    }

    @Test
    void aQuarantinedFileIsMovedToFailedWithItsReasonOnTheRemoteServer() throws Exception {
        // MPS-HIK-0004's address and channel in the name, but in MPS-HIK-0003's folder: the identities disagree, so the
        // read is filed under neither camera (issue 14 item 1) and the file goes to failed/ with that reason
        String name = "192.168.10.11_01_" + hikvisionName("X").substring(0, 17) + "_VEHICLE_DETECTION.jpg";
        Files.write(REMOTE.resolve("Driveway").resolve(name), sample("hikvision-ftp", "900-ip-channel-name-no-plate.jpg"));

        await("moved to failed/ on the remote server", WAIT, () -> Files.exists(remote("failed", name)));
        await("reason file", WAIT, () -> Files.exists(remote("failed", name + ".reason.txt")));
        assertThat(Files.readString(remote("failed", name + ".reason.txt")).lines().findFirst()).hasValue("unknown-camera");
        assertThat(quarantineReasons(name)).containsExactly("unknown-camera");
    }
}
