package uk.anprhub.transport.ftp;

import uk.anprhub.support.FreePorts;
import uk.anprhub.support.HikvisionUploads;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.apache.ftpserver.ftplet.UserManager;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole hub with the FTP server on (a random free port), like {@code HubIT}, but with its own PostgreSQL on a
 * known port that tests can stop and start again (store-down tests), and a second, plain Apache FtpServer playing a
 * camera that keeps its files itself (for the {@code ftp-poll} route). One Spring context for every subclass.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        "logging.level.uk.anprhub.transport.ftp=DEBUG",
        // passive port "0" (any free port, so parallel test runs never collide) makes it warn on every transfer
        "logging.level.org.apache.ftpserver.impl.PassivePorts=ERROR"})
public abstract class FtpHubIT {

    protected static final String PASSWORD = "camera-test-password";
    protected static final Path DATA;
    protected static final int FTP_PORT;
    protected static final int DB_PORT;
    protected static final Path DB_DIR;
    protected static final Path REMOTE;
    protected static final int REMOTE_PORT;
    protected static final long MAX_FILE_SIZE = 200 * 1024;
    /** A Hikvision file put into the Driveway home before the hub started. */
    protected static final String PRESEEDED_PLATE;

    private static volatile EmbeddedPostgres db;
    private static final FtpServer remoteServer;

    static {
        try {
            DATA = Files.createTempDirectory("anpr-ftp-it");
            Path cameras = Files.createDirectories(DATA.resolve("cameras"));
            try (var files = Files.list(Path.of("src", "test", "resources", "cameras"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Files.copy(f, cameras.resolve(f.getFileName()));
                }
            }
            FTP_PORT = FreePorts.next();
            DB_PORT = FreePorts.next();
            DB_DIR = DATA.resolve("postgres");
            startDatabase();
            Runtime.getRuntime().addShutdownHook(new Thread(FtpHubIT::stopDatabase));
            PRESEEDED_PLATE = plate();
            Path home = Files.createDirectories(DATA.resolve("ftp").resolve("Driveway"));
            Path seeded = home.resolve(hikvisionName(PRESEEDED_PLATE));
            Files.write(seeded, sample("hikvision-ftp", "001-plate-in-name.jpg"));
            Files.setLastModifiedTime(seeded, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            REMOTE = Files.createDirectories(DATA.resolve("remote"));
            Files.createDirectories(REMOTE.resolve("Driveway"));
            REMOTE_PORT = FreePorts.next();
            remoteServer = remoteCamera(REMOTE, REMOTE_PORT);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        String hash = new BCryptPasswordEncoder(4).encode(PASSWORD);
        r.add("anpr.data-dir", DATA::toString);
        r.add("anpr.cameras.location", () -> DATA.resolve("cameras").toString());
        r.add("anpr.db.url", () -> "jdbc:postgresql://localhost:" + DB_PORT + "/postgres");
        r.add("anpr.db.user", () -> "postgres");
        r.add("anpr.ftp.enabled", () -> "true");
        r.add("anpr.ftp.port", () -> FTP_PORT);
        r.add("anpr.ftp.passive-ports", () -> "0");
        r.add("anpr.ftp.address", () -> "127.0.0.1");
        r.add("anpr.ftp.max-file-size", () -> MAX_FILE_SIZE + "B");
        r.add("anpr.ftp.quiet-period", () -> "1s");
        r.add("anpr.ftp.scan-interval", () -> "300ms");
        r.add("anpr.ftp.retry-initial", () -> "200ms");
        r.add("anpr.ftp.retry-max", () -> "1s");
        String[][] accounts = {{"driveway", "Driveway", "hikvision-ftp"}, {"garage", "Garage", "hikvision-ftp"},
                {"sharpv", "sharpv", "genetec-sharpv-ftp"}};
        for (int i = 0; i < accounts.length; i++) {
            String[] a = accounts[i];
            r.add("anpr.ftp.accounts[" + i + "].user", () -> a[0]);
            r.add("anpr.ftp.accounts[" + i + "].password-hash", () -> hash);
            r.add("anpr.ftp.accounts[" + i + "].folder", () -> a[1]);
            r.add("anpr.ftp.accounts[" + i + "].feed", () -> a[2]);
        }
        r.add("camel.main.routes-include-pattern", () -> "file:routes/*.camel.yaml");
        r.add("anpr.ftp-poll.enabled", () -> "true");
        r.add("anpr.ftp-poll.port", () -> REMOTE_PORT);
        r.add("anpr.ftp-poll.directory", () -> "Driveway");
        r.add("anpr.ftp-poll.username", () -> "camera");
        r.add("anpr.ftp-poll.password", () -> PASSWORD);
        r.add("anpr.ftp-poll.delay", () -> "300");
        r.add("anpr.ftp-poll.retry-delay", () -> "300");
        r.add("anpr.ftp-poll.quiet-period", () -> "0");
        r.add("anpr.ftp-poll.read-lock-check-interval", () -> "200");
    }

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected FtpInbox inbox;

    // ------------------------------------------------------------------------------------------ the database

    protected static synchronized void startDatabase() throws IOException {
        db = EmbeddedPostgres.builder().setPort(DB_PORT).setDataDirectory(DB_DIR).setCleanDataDirectory(false)
                .setServerConfig("max_connections", "100").start();
    }

    protected static synchronized void stopDatabase() {
        try {
            if (db != null) {
                db.close();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            db = null;
        }
    }

    // -------------------------------------------------------------------------------------------- helpers


    protected static byte[] sample(String connector, String name) throws IOException {
        return Files.readAllBytes(Path.of("connectors", connector, "samples", name));
    }

    /** A plate unique to this run, e.g. {@code FT12QZX}. */
    protected static String plate() {
        return HikvisionUploads.plate();
    }

    /** A Hikvision upload's file name for {@code plate}, camera-local time now. */
    protected static String hikvisionName(String plate) {
        return HikvisionUploads.fileName(plate);
    }

    protected static FTPClient login(String user) throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.setConnectTimeout(5000);
        ftp.setDefaultTimeout(30_000);
        ftp.connect("127.0.0.1", FTP_PORT);
        assertThat(ftp.login(user, PASSWORD)).as(ftp.getReplyString()).isTrue();
        ftp.enterLocalPassiveMode();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        return ftp;
    }

    protected static void upload(String user, String name, byte[] content) throws IOException {
        FTPClient ftp = login(user);
        try (InputStream in = new java.io.ByteArrayInputStream(content)) {
            assertThat(ftp.storeFile(name, in)).as(ftp.getReplyString()).isTrue();
        } finally {
            ftp.logout();
            ftp.disconnect();
        }
    }

    protected static Path home(String folder) {
        return DATA.resolve("ftp").resolve(folder);
    }

    protected static Path archived(String folder, String kind, String name) {
        return DATA.resolve("ftp-archive").resolve(folder).resolve(kind)
                .resolve(LocalDate.now(ZoneOffset.UTC).toString()).resolve(name);
    }

    protected static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        org.awaitility.Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                // the test's own query while PostgreSQL restarts
                .ignoreExceptionsInstanceOf(org.springframework.dao.DataAccessException.class)
                .until(condition::getAsBoolean);
    }

    protected int reads(String vrm, String cameraId) {
        return jdbc.queryForObject("select count(*) from nas_read where vrm = ? and camera_id = ?", Integer.class, vrm, cameraId);
    }

    protected List<String> quarantineReasons(String filename) {
        return jdbc.queryForList("select reason from quarantine where filename = ? order by id", String.class, filename);
    }

    /** A plain Apache FtpServer holding files like a camera that keeps them (user "camera"). */
    private static FtpServer remoteCamera(Path root, int port) throws Exception {
        PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
        users.setPasswordEncryptor(new ClearTextPasswordEncryptor());
        users.setFile(Files.createTempFile(DATA, "users", ".properties").toFile());
        UserManager um = users.createUserManager();
        BaseUser u = new BaseUser();
        u.setName("camera");
        u.setPassword(PASSWORD);
        u.setHomeDirectory(root.toString());
        u.setAuthorities(List.of(new WritePermission()));
        um.save(u);
        ListenerFactory listener = new ListenerFactory();
        listener.setPort(port);
        listener.setServerAddress("127.0.0.1");
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassivePorts("0");
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        FtpServerFactory f = new FtpServerFactory();
        f.addListener("default", listener.createListener());
        f.setUserManager(um);
        FtpServer s = f.createServer();
        s.start();
        return s;
    }
}
