package uk.anprhub.transport.ftp;

import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Cameras uploading to the embedded FTP server: a real FTP client, the real hub, a real PostgreSQL. */
class FtpIngestIT extends FtpHubIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void hikvisionSamplesUploadedAreStoredForTheFolderCameraAndMovedToDone() throws Exception {
        for (String sample : new String[]{"001-plate-in-name.jpg", "002-plate-with-hyphen.jpg", "003-winter-time.jpg"}) {
            String plate = plate();
            String sent = sample.startsWith("002") ? plate.substring(0, 3) + "-" + plate.substring(3) : plate;
            String name = hikvisionName(sent);
            byte[] jpeg = sample("hikvision-ftp", sample);
            upload("driveway", name, jpeg);

            await(sample + " stored", WAIT, () -> reads(plate, "MPS-HIK-0003") == 1);
            await(sample + " moved to done/", WAIT, () -> Files.exists(archived("Driveway", "done", name)));
            assertThat(home("Driveway").resolve(name)).doesNotExist();
            assertThat(archived("Driveway", "done", name)).hasBinaryContent(jpeg);
            Map<String, Object> row = jdbc.queryForMap("""
                    select r.feed, m.transport, m.filename, m.remote_addr, r.body->'ingest'->>'transport' as ingest_transport,
                           r.body->'overviewImage'->>'bytes' as image_bytes
                    from nas_read r join raw_message m on m.id = r.raw_id where r.vrm = ?""", plate);
            assertThat(row).containsEntry("feed", "hikvision-ftp").containsEntry("transport", "ftp")
                    .containsEntry("filename", name).containsEntry("remote_addr", "127.0.0.1")
                    .containsEntry("ingest_transport", "ftp").containsEntry("image_bytes", String.valueOf(jpeg.length));
        }
    }

    @Test
    void aFilePresentAtStartUpIsTakenAfterTheQuietPeriod() throws Exception {
        await("pre-seeded file stored", WAIT, () -> reads(PRESEEDED_PLATE, "MPS-HIK-0003") == 1);
        await("pre-seeded file left the home folder", WAIT, () -> {
            try (var files = Files.list(home("Driveway"))) {
                return files.noneMatch(p -> p.getFileName().toString().contains(PRESEEDED_PLATE));
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    @Test
    void aHalfUploadedFileIsNotReadUntilItsUploadCompletes() throws Exception {
        String plate = plate();
        String name = hikvisionName(plate);
        // The sample JPEG padded to 100 kB (bytes after the end-of-image marker are ignored by viewers), so that
        // half of it is well beyond the server's transfer buffers and really reaches the disk.
        byte[] jpeg = java.util.Arrays.copyOf(sample("hikvision-ftp", "001-plate-in-name.jpg"), 100_000);
        FTPClient ftp = login("driveway");
        try {
            OutputStream out = ftp.storeFileStream(name);
            assertThat(out).as(ftp.getReplyString()).isNotNull();
            out.write(jpeg, 0, jpeg.length / 2);
            out.flush();
            Path partial = home("Driveway").resolve(name);
            await("most of the first half on disk", WAIT, () -> size(partial) >= jpeg.length / 2 - 16 * 1024);
            // Make it look old, too: neither the completion hook nor the quiet-period scan may take it.
            Files.setLastModifiedTime(partial, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            org.awaitility.Awaitility.await().during(Duration.ofMillis(2500)).atMost(Duration.ofMillis(4500)).until(() -> reads(plate, "MPS-HIK-0003") == 0); // > quiet period (1 s) + several scans (300 ms)
            assertThat(reads(plate, "MPS-HIK-0003")).isZero();
            assertThat(quarantineReasons(name)).isEmpty();
            assertThat(partial).exists();

            out.write(jpeg, jpeg.length / 2, jpeg.length - jpeg.length / 2);
            out.close();
            assertThat(ftp.completePendingCommand()).as(ftp.getReplyString()).isTrue();
        } finally {
            ftp.logout();
            ftp.disconnect();
        }
        await("stored once complete", WAIT, () -> reads(plate, "MPS-HIK-0003") == 1);
        await("moved to done/", WAIT, () -> Files.exists(archived("Driveway", "done", name)));
        assertThat(archived("Driveway", "done", name)).hasBinaryContent(jpeg);
    }

    @Test
    void reUploadingTheSameFileYieldsADuplicateNotASecondRow() throws Exception {
        String plate = plate();
        String name = hikvisionName(plate);
        byte[] jpeg = sample("hikvision-ftp", "003-winter-time.jpg");
        upload("driveway", name, jpeg);
        await("first copy moved", WAIT, () -> Files.exists(archived("Driveway", "done", name)));
        upload("driveway", name, jpeg);
        String second = name.replace(".jpg", ".1.jpg");
        await("second copy moved", WAIT, () -> Files.exists(archived("Driveway", "done", second)));
        assertThat(reads(plate, "MPS-HIK-0003")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from raw_message where filename = ?", Integer.class, name))
                .as("both uploads were received").isEqualTo(2);
        assertThat(quarantineReasons(name)).isEmpty();
    }

    @Test
    void aFileFromAFolderNoCameraHasIsQuarantinedAndMovedToFailedWithItsReason() throws Exception {
        String name = hikvisionName(plate());
        byte[] jpeg = sample("hikvision-ftp", "903-unknown-camera.jpg");
        upload("garage", name, jpeg);
        Path failed = archived("Garage", "failed", name);
        await("moved to failed/", WAIT, () -> Files.exists(failed));
        Path reason = failed.resolveSibling(name + ".reason.txt");
        assertThat(reason).exists();
        String text = Files.readString(reason);
        assertThat(text.lines().findFirst()).hasValue("unknown-camera");
        Map<String, Object> q = jdbc.queryForMap("select id, reason, folder, transport, feed, payload from quarantine where filename = ?", name);
        assertThat(q).containsEntry("reason", "unknown-camera").containsEntry("folder", "Garage")
                .containsEntry("transport", "ftp").containsEntry("feed", "hikvision-ftp");
        assertThat((byte[]) q.get("payload")).isEqualTo(jpeg);
        assertThat(text).contains("quarantine id: " + q.get("id"));
        assertThat(home("Garage").resolve(name)).doesNotExist();
    }

    @Test
    void anUndecodableFileIsQuarantinedAndMovedToFailed() throws Exception {
        String name = "SHARPV12345_" + java.util.UUID.randomUUID() + "_lpr.xml";
        upload("sharpv", name, sample("genetec-sharpv-ftp", "902-truncated.xml"));
        Path failed = archived("sharpv", "failed", name);
        await("moved to failed/", WAIT, () -> Files.exists(failed));
        assertThat(Files.readString(failed.resolveSibling(name + ".reason.txt")).lines().findFirst()).hasValue("undecodable");
        assertThat(quarantineReasons(name)).containsExactly("undecodable");
    }

    @Test
    void anUploadBeyondTheMaximumSizeIsRefusedAndQuarantined() throws Exception {
        String name = hikvisionName(plate());
        byte[] big = new byte[(int) MAX_FILE_SIZE + 50_000];
        FTPClient ftp = login("driveway");
        try {
            assertThat(ftp.storeFile(name, new java.io.ByteArrayInputStream(big))).isFalse();
            assertThat(ftp.getReplyCode()).isBetween(400, 599);
        } catch (java.io.IOException refusedMidTransfer) {
            // the server closed the data connection at the limit while the client was still sending
        } finally {
            ftp.disconnect();
        }
        Path failed = archived("Driveway", "failed", name);
        await("moved to failed/", WAIT, () -> Files.exists(failed));
        assertThat(Files.size(failed)).isLessThanOrEqualTo(MAX_FILE_SIZE);
        assertThat(Files.readString(failed.resolveSibling(name + ".reason.txt")).lines().findFirst()).hasValue("too-large");
        assertThat(quarantineReasons(name)).containsExactly("too-large");
    }

    @Test
    void aFileUploadedUnderATemporaryNameIsTakenOnceRenamed() throws Exception {
        String plate = plate();
        String name = hikvisionName(plate);
        FTPClient ftp = login("driveway");
        try {
            assertThat(ftp.storeFile(name + ".tmp", new java.io.ByteArrayInputStream(sample("hikvision-ftp", "001-plate-in-name.jpg")))).isTrue();
            org.awaitility.Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(3500)).until(() -> reads(plate, "MPS-HIK-0003") == 0);
            assertThat(reads(plate, "MPS-HIK-0003")).isZero();
            assertThat(ftp.rename(name + ".tmp", name)).as(ftp.getReplyString()).isTrue();
        } finally {
            ftp.logout();
            ftp.disconnect();
        }
        await("stored", WAIT, () -> reads(plate, "MPS-HIK-0003") == 1);
        await("moved", WAIT, () -> Files.exists(archived("Driveway", "done", name)));
    }

    @Test
    void filesInASubfolderBelongToTheAccountsCamera() throws Exception {
        String plate = plate();
        String name = hikvisionName(plate);
        FTPClient ftp = login("driveway");
        try {
            assertThat(ftp.makeDirectory("2025-06-02")).isTrue();
            assertThat(ftp.storeFile("2025-06-02/" + name, new java.io.ByteArrayInputStream(sample("hikvision-ftp", "001-plate-in-name.jpg")))).isTrue();
        } finally {
            ftp.logout();
            ftp.disconnect();
        }
        await("stored", WAIT, () -> reads(plate, "MPS-HIK-0003") == 1);
        await("moved", WAIT, () -> Files.exists(archived("Driveway", "done", "2025-06-02/" + name)));
    }

    @Test
    void wrongPasswordsUnknownUsersAndAnonymousAreRefused() throws Exception {
        String[][] attempts = {{"driveway", "wrong"}, {"anonymous", "a@b.c"}, {"nobody", PASSWORD}};
        for (String[] a : attempts) {
            FTPClient ftp = new FTPClient();
            ftp.connect("127.0.0.1", FTP_PORT);
            try {
                assertThat(ftp.login(a[0], a[1])).as(a[0]).isFalse();
            } catch (org.apache.commons.net.ftp.FTPConnectionClosedException closed) {
                // also a refusal
            } finally {
                ftp.disconnect();
            }
        }
    }

    @Test
    void archivedFilesAreDeletedOnceOlderThanTheRetention() throws Exception {
        Path old = archived("Driveway", "done", "old-" + plate() + ".jpg");
        Path fresh = archived("Driveway", "failed", "fresh-" + plate() + ".jpg");
        Files.createDirectories(old.getParent());
        Files.createDirectories(fresh.getParent());
        Files.write(old, "x".getBytes(StandardCharsets.UTF_8));
        Files.write(fresh, "x".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - Duration.ofDays(8).toMillis()));
        assertThat(inbox.clean()).isGreaterThanOrEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
