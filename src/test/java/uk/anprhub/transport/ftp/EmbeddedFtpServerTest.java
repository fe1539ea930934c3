package uk.anprhub.transport.ftp;

import uk.anprhub.support.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.message.Reason;
import uk.anprhub.message.RawMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FTP server and inbox without the hub: FTPS (explicit and implicit, with a keystore made by keytool), TLS
 * enforcement, and back-pressure (452 once too many files wait; nothing moved while the ingest answers 503) with
 * a stub ingest core.
 */
class EmbeddedFtpServerTest {

    private static final String PASSWORD = "s3cret-camera";
    private static final String HASH = new BCryptPasswordEncoder(4).encode(PASSWORD);

    @TempDir
    Path dir;

    private final List<RawMessage> received = new CopyOnWriteArrayList<>();
    private volatile int answer = 200;
    private FtpInbox inbox;
    private EmbeddedFtpServer server;
    private int port;

    private final FtpInbox.Ingest stub = new FtpInbox.Ingest() {
        @Override
        public IngestOutcome ingest(RawMessage message) {
            received.add(message);
            return answer == 200 ? new IngestOutcome.Stored(1, 1, 0, List.of(), List.of())
                    : new IngestOutcome.Unavailable("store-unavailable", "down", 5);
        }

        @Override
        public IngestOutcome refuse(RawMessage message, Reason reason, String detail) {
            return new IngestOutcome.Quarantined(List.of(new IngestOutcome.Problem(null, reason, detail, 1L)), null);
        }
    };

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (inbox != null) {
            inbox.stop();
        }
    }

    private void start(Map<String, String> extra) throws IOException {
        startNotReady(extra);
        server.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));
    }

    private void startNotReady(Map<String, String> extra) throws IOException {
        port = FreePorts.next();
        Map<String, String> m = new HashMap<>();
        m.put("anpr.ftp.enabled", "true");
        m.put("anpr.ftp.port", String.valueOf(port));
        m.put("anpr.ftp.address", "127.0.0.1");
        m.put("anpr.ftp.passive-ports", "0");
        m.put("anpr.ftp.scan-interval", "200ms");
        m.put("anpr.ftp.retry-initial", "100ms");
        m.put("anpr.ftp.retry-max", "200ms");
        m.put("anpr.ftp.accounts[0].user", "cam1");
        m.put("anpr.ftp.accounts[0].password-hash", HASH);
        m.put("anpr.ftp.accounts[0].feed", "hikvision-ftp");
        m.putAll(extra);
        FtpProperties props = new Binder(new MapConfigurationPropertySource(m)).bind("anpr.ftp", FtpProperties.class).get();
        List<FtpInbox.Account> accounts = InboxAccounts.from(props, dir.resolve("ftp"), null);
        inbox = new FtpInbox(stub, accounts, dir.resolve("archive"), Clock.systemUTC(), props, 7, new SimpleMeterRegistry());
        inbox.start();
        server = new EmbeddedFtpServer(props, inbox, new LoginGuard(props.logins(), Clock.systemUTC(), (a, d) -> { }));
        server.start();
    }

    @Test
    void untilTheHubIsReadyACameraGets421TryAgainThenItsUploadIsTaken() throws Exception {
        startNotReady(Map.of());
        FTPClient early = new FTPClient(); // commons-net reports a 421 greeting as the server closing the connection
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> early.connect("127.0.0.1", port))
                .isInstanceOf(org.apache.commons.net.ftp.FTPConnectionClosedException.class).hasMessageContaining("421");
        early.disconnect();
        server.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));
        FTPClient ready = new FTPClient();
        ready.connect("127.0.0.1", port);
        try {
            assertThat(ready.getReplyCode()).isEqualTo(220);
            assertThat(ready.login("cam1", PASSWORD)).isTrue();
            ready.enterLocalPassiveMode();
            assertThat(ready.storeFile("r.jpg", new ByteArrayInputStream(new byte[]{1}))).as(ready.getReplyString()).isTrue();
        } finally {
            ready.disconnect();
        }
        await(() -> Files.exists(archived("cam1", "done", "r.jpg")));
        server.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.REFUSING_TRAFFIC)); // stopping
        FTPClient late = new FTPClient(); // commons-net reports a 421 greeting as the server closing the connection
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> late.connect("127.0.0.1", port))
                .isInstanceOf(org.apache.commons.net.ftp.FTPConnectionClosedException.class).hasMessageContaining("421");
        late.disconnect();
    }

    @Test
    void explicitFtpsIsRequiredBeforeLoginAndUploadsArriveWithTheirFolder() throws Exception {
        start(Map.of("anpr.ftp.tls.mode", "explicit", "anpr.ftp.tls.keystore", keystore().toString(),
                "anpr.ftp.tls.keystore-password", "changeit"));

        FTPClient plain = new FTPClient();
        plain.connect("127.0.0.1", port);
        try {
            assertThat(plain.login("cam1", PASSWORD)).isFalse();
            assertThat(plain.getReplyCode()).isEqualTo(534);
        } finally {
            plain.disconnect();
        }

        FTPSClient ftps = new FTPSClient(false);
        ftps.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        ftps.connect("127.0.0.1", port);
        try {
            assertThat(ftps.login("cam1", PASSWORD)).as(ftps.getReplyString()).isTrue();
            ftps.enterLocalPassiveMode();
            ftps.setFileType(FTP.BINARY_FILE_TYPE);
            assertThat(ftps.storeFile("clear.jpg", new ByteArrayInputStream(new byte[]{1}))).as("PROT C refused").isFalse();
            ftps.execPBSZ(0);
            ftps.execPROT("P");
            assertThat(ftps.storeFile("a.jpg", new ByteArrayInputStream("jpeg".getBytes(StandardCharsets.UTF_8))))
                    .as(ftps.getReplyString()).isTrue();
        } finally {
            ftps.disconnect();
        }
        await(() -> Files.exists(archived("cam1", "done", "a.jpg")));
        RawMessage m = received.get(0);
        assertThat(m.folder()).isEqualTo("cam1");
        assertThat(m.feed()).isEqualTo("hikvision-ftp");
        assertThat(m.transport()).isEqualTo("ftp");
        assertThat(m.filename()).isEqualTo("a.jpg");
        assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("jpeg");
    }

    @Test
    void implicitFtps() throws Exception {
        start(Map.of("anpr.ftp.tls.mode", "implicit", "anpr.ftp.tls.keystore", keystore().toString(),
                "anpr.ftp.tls.keystore-password", "changeit"));
        FTPSClient ftps = new FTPSClient(true);
        ftps.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        ftps.connect("127.0.0.1", port);
        try {
            assertThat(ftps.login("cam1", PASSWORD)).isTrue();
            ftps.execPBSZ(0);
            ftps.execPROT("P");
            ftps.enterLocalPassiveMode();
            assertThat(ftps.storeFile("b.jpg", new ByteArrayInputStream(new byte[]{1, 2, 3}))).as(ftps.getReplyString()).isTrue();
        } finally {
            ftps.disconnect();
        }
        await(() -> Files.exists(archived("cam1", "done", "b.jpg")));
    }

    @Test
    void whileTheStoreRefusesFilesStayAndBeyondTheBoundUploadsGet452() throws Exception {
        answer = 503;
        start(Map.of("anpr.ftp.max-pending-files", "2"));
        FTPClient ftp = new FTPClient();
        ftp.connect("127.0.0.1", port);
        try {
            assertThat(ftp.login("cam1", PASSWORD)).isTrue();
            ftp.enterLocalPassiveMode();
            assertThat(ftp.storeFile("1.jpg", new ByteArrayInputStream(new byte[]{1}))).isTrue();
            assertThat(ftp.storeFile("2.jpg", new ByteArrayInputStream(new byte[]{2}))).isTrue();
            assertThat(ftp.storeFile("3.jpg", new ByteArrayInputStream(new byte[]{3}))).isFalse();
            assertThat(ftp.getReplyCode()).isEqualTo(452);

            await(() -> received.size() >= 4); // retried with back-off, never moved
            Path home = dir.resolve("ftp").resolve("cam1");
            assertThat(home.resolve("1.jpg")).exists();
            assertThat(home.resolve("2.jpg")).exists();
            assertThat(home.resolve("3.jpg")).doesNotExist();
            assertThat(dir.resolve("archive")).doesNotExist();

            answer = 200; // the store is back
            await(() -> Files.exists(archived("cam1", "done", "1.jpg")) && Files.exists(archived("cam1", "done", "2.jpg")));
            assertThat(inbox.pending()).isZero();
            assertThat(ftp.storeFile("3.jpg", new ByteArrayInputStream(new byte[]{3}))).as("room again").isTrue();
        } finally {
            ftp.disconnect();
        }
        await(() -> Files.exists(archived("cam1", "done", "3.jpg")));
    }

    /**
     * Issue 11.6: after an outage the inbox stayed paused and the waiting files sat out their own retry delays. The
     * first success must end the shared back-off and take every waiting file at once.
     */
    @Test
    void theFirstSuccessAfterAnOutageTakesEveryWaitingFileAtOnce() throws Exception {
        answer = 503;
        start(Map.of("anpr.ftp.retry-initial", "250ms", "anpr.ftp.retry-max", "4s", "anpr.ftp.workers", "4"));
        FTPClient ftp = new FTPClient();
        ftp.connect("127.0.0.1", port);
        try {
            assertThat(ftp.login("cam1", PASSWORD)).isTrue();
            ftp.enterLocalPassiveMode();
            for (int i = 0; i < 12; i++) {
                assertThat(ftp.storeFile(i + ".jpg", new ByteArrayInputStream(new byte[]{(byte) i}))).isTrue();
            }
        } finally {
            ftp.disconnect();
        }
        // the back-off grows to its maximum while the files wait out retry delays of up to 4 s each
        await(() -> received.size() >= 6); // one attempt per back-off: 0.25, 0.5, 1, 2, 4 s
        answer = 200; // the store is back
        int before = received.size();
        await(() -> received.size() > before); // the next attempt (at most one back-off away) succeeds
        long firstSuccess = System.nanoTime();
        await(() -> inbox.pending() == 0);
        long drainMs = Duration.ofNanos(System.nanoTime() - firstSuccess).toMillis();
        assertThat(drainMs).as("every waiting file taken as soon as the store answered (ms)").isLessThan(1500);
        for (int i = 0; i < 12; i++) {
            assertThat(archived("cam1", "done", i + ".jpg")).exists();
        }
    }

    /** Issue 11.5: a disk too full for an upload is a transient 452 before the transfer, never a 551 mid-transfer. */
    @Test
    void aDiskWithLessThanTheFreeSpaceFloorRefusesUploadsWith452() throws Exception {
        start(Map.of("anpr.ftp.min-free-space", "1048576TB")); // no disk here has an exabyte free: it is "full"
        FTPClient ftp = new FTPClient();
        ftp.connect("127.0.0.1", port);
        try {
            assertThat(ftp.login("cam1", PASSWORD)).isTrue();
            ftp.enterLocalPassiveMode();
            assertThat(ftp.storeFile("1.jpg", new ByteArrayInputStream(new byte[]{1}))).isFalse();
            assertThat(ftp.getReplyCode()).isEqualTo(452);
            assertThat(dir.resolve("ftp").resolve("cam1").resolve("1.jpg")).doesNotExist();
        } finally {
            ftp.disconnect();
        }
    }

    @Test
    void aConfigurationWithoutBcryptHashIsRefused() {
        Map<String, String> m = Map.of("anpr.ftp.accounts[0].user", "cam1", "anpr.ftp.accounts[0].password-hash", "plain",
                "anpr.ftp.accounts[0].feed", "hikvision-ftp");
        FtpProperties props = new Binder(new MapConfigurationPropertySource(m)).bind("anpr.ftp", FtpProperties.class).get();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InboxAccounts.from(props, dir, null))
                .hasMessageContaining("bcrypt");
    }

    private Path archived(String folder, String kind, String name) {
        return dir.resolve("archive").resolve(folder).resolve(kind).resolve(LocalDate.now(ZoneOffset.UTC).toString()).resolve(name);
    }

    private Path keystore() throws Exception {
        Path ks = dir.resolve("ftp.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "ftp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return ks;
    }


    private static void await(BooleanSupplier condition) throws InterruptedException {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
