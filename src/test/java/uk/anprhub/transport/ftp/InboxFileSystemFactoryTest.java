package uk.anprhub.transport.ftp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the inbox's file system adds to Apache FtpServer's native one (a size limit that tells the upload tracker,
 * and nothing else changed: the home is created, files are jailed, renames work between its files).
 */
class InboxFileSystemFactoryTest {

    @TempDir
    Path dir;

    private final InboxQueue queue = new InboxQueue(10, List.of("*.tmp"));
    private final UploadTracker uploads = new UploadTracker(queue, new SimpleMeterRegistry().counter("full"));

    private FileSystemView login(Path home) throws Exception {
        BaseUser user = new BaseUser();
        user.setName("cam1");
        user.setHomeDirectory(home.toString());
        user.setAuthorities(List.of(new WritePermission()));
        return new InboxFileSystemFactory(8, true, uploads).createFileSystemView(user);
    }

    @Test
    void anUploadWithinTheLimitIsWrittenAndOneBeyondItIsCutAndMarkedTooLarge() throws Exception {
        Path home = dir.resolve("cam1");
        FileSystemView view = login(home);
        assertThat(home).isDirectory(); // created at login, as the native factory does

        FtpFile small = view.getFile("small.jpg");
        try (OutputStream out = small.createOutputStream(0)) {
            out.write(new byte[8]);
        }
        assertThat(Files.size(home.resolve("small.jpg"))).isEqualTo(8);

        Path big = home.resolve("big.jpg").toAbsolutePath().normalize();
        UUID session = UUID.randomUUID();
        assertThat(uploads.begin(big, session)).isEqualTo(UploadAdmission.ADMITTED);
        try (OutputStream out = view.getFile("big.jpg").createOutputStream(0)) {
            out.write(new byte[4]);
            assertThatThrownBy(() -> out.write(new byte[5])).isInstanceOf(IOException.class).hasMessageContaining("maximum size");
        }
        uploads.end(big, session, account(home), false, null);
        assertThat(queue.knows(big)).as("a cut upload is taken (to be refused as too large), not left incomplete").isTrue();
    }

    @Test
    void pathsStayInTheHomeAndRenamesWorkBetweenItsFiles() throws Exception {
        Path home = dir.resolve("cam1");
        FileSystemView view = login(home);
        assertThat(InboxFileSystemFactory.physical(view.getFile("../../etc/passwd")))
                .startsWithRaw(home.toAbsolutePath().normalize());

        try (OutputStream out = view.getFile("r.jpg.tmp").createOutputStream(0)) {
            out.write(1);
        }
        assertThat(view.getFile("r.jpg.tmp").move(view.getFile("r.jpg"))).isTrue();
        assertThat(home.resolve("r.jpg")).exists();
        assertThat(view.getFile("r.jpg")).isEqualTo(view.getFile("/r.jpg"));
    }

    private static FtpInbox.Account account(Path home) {
        return new FtpInbox.Account("cam1", "cam1", "hikvision-ftp", home, List.of(), 100, 1_000_000);
    }
}
