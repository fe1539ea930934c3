package uk.anprhub.security;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import uk.anprhub.support.FreePorts;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestDatabase;
import uk.anprhub.support.TestReads;
import uk.anprhub.transport.mq.FrigateEvents;
import uk.anprhub.transport.tcp.TcpProperties;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Attacks on the camera transports of a running hub (issue 10, items 9 FTP, 10, 14 TCP/MQTT, 15, 16): FTP password
 * guessing with reconnects, an FTP account posting reads for another camera, a pile of temporary files and a full
 * inbox, one host holding a TCP feed's connections, plaintext and certificate-less clients on TLS feeds, and an MQTT
 * broker that demands TLS and a password. One Spring context: FTP, three TCP feeds and MQTT over TLS to an Artemis
 * broker with security on. Real sockets, real PostgreSQL, certificates made by the JDK's keytool.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "camel.main.routes-include-pattern=file:routes/*.camel.yaml,classpath:tcp-routes/tcp-nas-guard.camel.yaml,classpath:tcp-routes/tcp-nas-len.camel.yaml",
        "logging.level.org.apache.ftpserver.impl.PassivePorts=ERROR",
        // TCP: nas-guard plain with the per-source limit and the default idle timeout; nas-json over TLS with a short
        // idle timeout; nas-len over TLS with client certificates required
        "anpr.feeds.nas-guard.connector=nas-json",
        "anpr.tcp.feeds.nas-guard.framing=line",
        "anpr.tcp.feeds.nas-guard.max-connections-per-source=2",
        "anpr.tcp.feeds.nas-guard.ack=\\\\x06",
        "anpr.tcp.feeds.nas-json.framing=line",
        "anpr.tcp.feeds.nas-json.idle-timeout=1500ms",
        "anpr.tcp.feeds.nas-json.ack=\\\\x06",
        "anpr.feeds.nas-len.connector=nas-json",
        "anpr.tcp.feeds.nas-len.framing=length-prefixed",
        "anpr.tcp.feeds.nas-len.ack=\\\\x06",
        "anpr.tcp.feeds.nas-len.tls.client-auth=require",
        // FTP
        "anpr.ftp.enabled=true",
        "anpr.ftp.address=127.0.0.1",
        "anpr.ftp.passive-ports=0",
        "anpr.ftp.quiet-period=1s",
        "anpr.ftp.scan-interval=300ms",
        "anpr.ftp.ignored-max-age=2s",
        "anpr.ftp.logins.max-failures-per-account=3",
        "anpr.ftp.logins.max-failures-per-address=5",
        "anpr.ftp.logins.lockout=1h",
        "anpr.ftp.logins.delay=0s",
        // MQTT
        "anpr.mqtt.enabled=true",
        "anpr.mqtt.client-id=anpr-security-it",
        "anpr.mqtt.user-name=hub",
        "anpr.mqtt.password=broker-secret"})
class TransportSecurityIT extends HubIT {

    private static final String PASSWORD = "camera-test-password";
    private static final String STOREPASS = "changeit";
    private static final Duration T = Duration.ofSeconds(20);
    private static final TestDatabase DB;
    private static final Path DIR;
    private static final int FTP_PORT = FreePorts.next(), GUARD_PORT = FreePorts.next(), TLS_PORT = FreePorts.next(),
            MTLS_PORT = FreePorts.next(), MQTT_PORT = FreePorts.next();
    private static final EmbeddedActiveMQ BROKER;

    static {
        try {
            DB = TestDatabase.start();
            DIR = Files.createTempDirectory("anpr-transport-security");
            keyPair("server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
            keyPair("client", "CN=camera-1", null);
            trustStore("server");
            trustStore("client");
            BROKER = broker();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void transports(DynamicPropertyRegistry r) {
        r.add("anpr.db.url", DB::jdbcUrl);
        r.add("anpr.tcp.feeds.nas-guard.port", () -> GUARD_PORT);
        r.add("anpr.tcp.feeds.nas-json.port", () -> TLS_PORT);
        r.add("anpr.tcp.feeds.nas-json.tls.keystore", () -> DIR.resolve("server.p12").toString());
        r.add("anpr.tcp.feeds.nas-json.tls.keystore-password", () -> STOREPASS);
        r.add("anpr.tcp.feeds.nas-len.port", () -> MTLS_PORT);
        r.add("anpr.tcp.feeds.nas-len.tls.keystore", () -> DIR.resolve("server.p12").toString());
        r.add("anpr.tcp.feeds.nas-len.tls.keystore-password", () -> STOREPASS);
        r.add("anpr.tcp.feeds.nas-len.tls.truststore", () -> DIR.resolve("client-trust.p12").toString());
        r.add("anpr.tcp.feeds.nas-len.tls.truststore-password", () -> STOREPASS);
        r.add("anpr.ftp.port", () -> FTP_PORT);
        r.add("anpr.ftp.dir", () -> DIR.resolve("ftp").toString());
        r.add("anpr.ftp.archive-dir", () -> DIR.resolve("ftp-archive").toString());
        String hash = new BCryptPasswordEncoder(4).encode(PASSWORD);
        // user, folder, feed, cameras ("" = default binding), quota files
        String[][] accounts = {{"driveway", "Driveway", "hikvision-ftp", "", ""},
                {"sharp-a", "sharp-a", "genetec-sharpv-ftp", "MPS-GEN-0001", ""},
                {"sharp-b", "sharp-b", "genetec-sharpv-ftp", "MPS-GEN-0002", ""},
                {"victim", "victim", "hikvision-ftp", "", ""},
                {"small", "small", "hikvision-ftp", "", "2"}};
        for (int i = 0; i < accounts.length; i++) {
            String[] a = accounts[i];
            String p = "anpr.ftp.accounts[" + i + "].";
            r.add(p + "user", () -> a[0]);
            r.add(p + "password-hash", () -> hash);
            r.add(p + "folder", () -> a[1]);
            r.add(p + "feed", () -> a[2]);
            if (!a[3].isEmpty()) {
                r.add(p + "cameras", () -> a[3]);
            }
            if (!a[4].isEmpty()) {
                r.add(p + "quota-files", () -> a[4]);
            }
        }
        r.add("anpr.mqtt.broker-url", () -> "ssl://127.0.0.1:" + MQTT_PORT);
        r.add("anpr.mqtt.tls.truststore", () -> DIR.resolve("server-trust.p12").toString());
        r.add("anpr.mqtt.tls.truststore-password", () -> STOREPASS);
    }

    @Autowired
    TcpProperties tcp;

    // ================================================================================================ FTP (9, 10, 16)

    @Test
    void ftpPasswordGuessingLocksTheAccountAcrossReconnectsEvenForTheRightPassword(CapturedOutput output) throws Exception {
        for (int i = 0; i < 3; i++) { // a new connection per guess: the per-session limit alone never triggers
            assertThat(tryLogin(null, "victim", "guess-" + i)).isFalse();
        }
        assertThat(tryLogin(null, "victim", PASSWORD)).as("locked: the right password is refused too").isFalse();
        assertThat(tryLogin(null, "driveway", PASSWORD)).as("other accounts unaffected").isTrue();
        List<String> audit = jdbc.queryForList("select action || ' ' || detail::text from audit_log where action like "
                + "'ftp.login-%' and detail->>'user' = 'victim' order by id", String.class);
        assertThat(audit).hasSize(4);
        assertThat(audit.subList(0, 3)).allSatisfy(a -> assertThat(a).startsWith("ftp.login-failed")
                .contains("\"address\": \"127.0.0.1\"").contains("wrong-password"));
        assertThat(audit.get(3)).startsWith("ftp.login-locked").contains("\"locked\": \"account\"");
        assertThat(output.getAll()).contains("FTP login failed: user 'victim' from 127.0.0.1 (wrong-password)")
                .doesNotContain("guess-0").doesNotContain(PASSWORD);
    }

    @Test
    void ftpGuessesFromOneAddressLockThatAddressForEveryAccount() throws Exception {
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(attacker, 0));
        } catch (IOException e) {
            assumeTrue(false, "no loopback alias 127.0.0.2 here: " + e);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(tryLogin(attacker, "nobody-" + i, "guess")).isFalse();
        }
        assertThat(tryLogin(attacker, "driveway", PASSWORD)).as("address locked").isFalse();
        assertThat(tryLogin(null, "driveway", PASSWORD)).as("the camera's own address still works").isTrue();
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'ftp.login-failed' "
                + "and detail->>'address' = '127.0.0.2' and detail->>'reason' = 'unknown-user'", Integer.class)).isEqualTo(5);
    }

    @Test
    void anFtpAccountCannotPostReadsForAnotherCamera() throws Exception {
        String stolen = TestReads.plate().replace(" ", "");
        String own = TestReads.plate().replace(" ", "");
        String stolenFile = "SHARPV12345_" + java.util.UUID.randomUUID() + "_lpr.xml";
        upload("sharp-a", stolenFile, sharpV(stolen)); // sharp-a is bound to MPS-GEN-0001, the file names MPS-GEN-0002
        upload("sharp-b", "SHARPV12345_" + java.util.UUID.randomUUID() + "_lpr.xml", sharpV(own)); // sharp-b: MPS-GEN-0002
        await("own camera stored", () -> countReads(own) == 1);
        await("stolen camera quarantined", () -> jdbc.queryForObject("select count(*) from quarantine where "
                + "reason = 'camera-not-allowed' and folder = 'sharp-a'", Integer.class) == 1);
        assertThat(countReads(stolen)).isZero();
        assertThat(jdbc.queryForObject("select detail from quarantine where reason = 'camera-not-allowed' and folder = 'sharp-a'",
                String.class)).contains("MPS-GEN-0002");
        await("file to failed/", () -> Files.exists(archived("sharp-a", "failed", stolenFile)));
    }

    @Test
    void temporaryFilesThatAreNeverRenamedAreMovedOutOfTheHome() throws Exception {
        upload("driveway", "upload-1.tmp", new byte[1000]);
        upload("driveway", ".hidden", new byte[10]);
        Path tmp = DIR.resolve("ftp").resolve("Driveway").resolve("upload-1.tmp");
        assertThat(tmp).exists();
        await("moved after ignored-max-age", () -> !Files.exists(tmp));
        Path failed = archived("Driveway", "failed", "upload-1.tmp");
        assertThat(failed).exists();
        assertThat(Files.readString(failed.resolveSibling("upload-1.tmp.reason.txt"))).startsWith("ignored");
        await(".hidden too", () -> Files.exists(archived("Driveway", "failed", ".hidden")));
    }

    @Test
    void uploadsBeyondTheAccountsQuotaAreRefusedWith452() throws Exception {
        Path home = Files.createDirectories(DIR.resolve("ftp").resolve("small"));
        FTPClient ftp = login(null, "small");
        try {
            // two files waiting (ignored names, young: they stay) = the quota of 2
            assertThat(ftp.storeFile("a.part", new ByteArrayInputStream(new byte[10]))).isTrue();
            assertThat(ftp.storeFile("b.part", new ByteArrayInputStream(new byte[10]))).isTrue();
            assertThat(ftp.storeFile("c.part", new ByteArrayInputStream(new byte[10]))).isFalse();
            assertThat(ftp.getReplyCode()).isEqualTo(452);
            assertThat(ftp.getReplyString()).contains("Quota");
            assertThat(home.resolve("c.part")).doesNotExist();
        } finally {
            ftp.disconnect();
        }
    }

    // ================================================================================================ TCP (15, 14)

    @Test
    void oneHostCannotHoldMoreThanItsShareOfATcpFeedsConnections(CapturedOutput output) throws Exception {
        try (Socket one = plain(GUARD_PORT); Socket two = plain(GUARD_PORT)) {
            assertThat(sendLine(one, TestReads.plate())).isEqualTo(6);
            assertThat(sendLine(two, TestReads.plate())).isEqualTo(6);
            try (Socket three = plain(GUARD_PORT)) {
                assertThat(closedWithin(three, T)).as("third from the same address refused").isTrue();
            }
            two.close();
            await("slot released", () -> {
                try (Socket four = plain(GUARD_PORT)) {
                    return sendLine(four, TestReads.plate()) == 6;
                } catch (IOException e) {
                    return false;
                }
            });
        }
        assertThat(output.getAll()).contains("TCP feed nas-guard: connection from 127.0.0.1 refused: 2 connections open "
                + "from that address (max-connections-per-source)");
        assertThat(tcp.feeds().get("nas-guard").idleTimeout()).as("default idle timeout").isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aTlsFeedStoresReadsFromATlsClientAndClosesIdleOnes() throws Exception {
        String plate = TestReads.plate();
        try (SSLSocket s = tls(TLS_PORT, false)) {
            assertThat(sendLine(s, plate)).isEqualTo(6);
            assertThat(countReads(plate)).isEqualTo(1);
            long t0 = System.nanoTime();
            assertThat(closedWithin(s, T)).as("idle connection closed").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1000));
        }
    }

    @Test
    void aPlaintextClientOnATlsFeedStoresNothing() throws Exception {
        String plate = TestReads.plate();
        try (Socket s = plain(TLS_PORT)) {
            s.getOutputStream().write((TestReads.read(plate, java.time.Instant.now().minusSeconds(30), 4) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            assertThat(closedWithin(s, T)).isTrue();
        }
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(2300)).until(() -> countReads(plate) == 0); // would have been stored by now
        assertThat(countReads(plate)).isZero();
    }

    @Test
    void aFeedThatRequiresClientCertificatesRefusesClientsWithoutOne() throws Exception {
        String plate = TestReads.plate();
        byte[] body = TestReads.read(plate, java.time.Instant.now().minusSeconds(30), 4).getBytes(StandardCharsets.UTF_8);
        byte[] frame = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
        try (SSLSocket s = tls(MTLS_PORT, false)) {
            boolean refused;
            try {
                s.startHandshake();
                s.getOutputStream().write(frame);
                s.getOutputStream().flush();
                refused = s.getInputStream().read() < 0;
            } catch (IOException e) {
                refused = true;
            }
            assertThat(refused).as("no client certificate: handshake refused").isTrue();
        }
        assertThat(countReads(plate)).isZero();
        try (SSLSocket s = tls(MTLS_PORT, true)) {
            s.getOutputStream().write(frame);
            s.getOutputStream().flush();
            s.setSoTimeout((int) T.toMillis());
            assertThat(s.getInputStream().read()).isEqualTo(6);
        }
        assertThat(countReads(plate)).isEqualTo(1);
    }

    // ================================================================================================ MQTT (14)

    @Test
    void theHubReadsFromABrokerThatRequiresTlsAndAPassword() throws Exception {
        String plate = TestReads.plate().replace(" ", "");
        MqttClient publisher = new MqttClient("ssl://127.0.0.1:" + MQTT_PORT, "it-pub-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(sslContext(false).getSocketFactory());
        o.setUserName("hub");
        o.setPassword("broker-secret".getBytes(StandardCharsets.UTF_8));
        publisher.connect(o);
        try {
            MqttMessage m = new MqttMessage(new FrigateEvents().end(plate, "driveway_cam"));
            m.setQos(1);
            publisher.publish("frigate/events", m);
        } finally {
            publisher.disconnect();
            publisher.close();
        }
        await("stored through the secured broker", () -> countReads(plate) == 1);
        // and the broker is really secured: no password, no connection
        MqttClient anonymous = new MqttClient("ssl://127.0.0.1:" + MQTT_PORT, "it-anon-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions a = new MqttConnectionOptions();
        a.setSocketFactory(sslContext(false).getSocketFactory());
        try {
            anonymous.connect(a);
            anonymous.disconnect();
            throw new AssertionError("the broker accepted a client without a password");
        } catch (MqttException expected) {
            // refused
        } finally {
            anonymous.close();
        }
    }

    // ================================================================================================ helpers

    private int countReads(String plate) {
        return jdbc.queryForObject("select count(*) from nas_read where vrm = ?", Integer.class, plate.replace(" ", ""));
    }

    private static void await(String what, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).atMost(T).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
    }

    private static boolean tryLogin(InetAddress from, String user, String password) throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.setConnectTimeout(5000);
        ftp.setDefaultTimeout(10_000);
        if (from == null) {
            ftp.connect("127.0.0.1", FTP_PORT);
        } else {
            ftp.connect(InetAddress.getByName("127.0.0.1"), FTP_PORT, from, 0);
        }
        try {
            return ftp.login(user, password);
        } finally {
            ftp.disconnect();
        }
    }

    private static FTPClient login(InetAddress from, String user) throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.setConnectTimeout(5000);
        ftp.setDefaultTimeout(10_000);
        ftp.connect("127.0.0.1", FTP_PORT);
        assertThat(ftp.login(user, PASSWORD)).as(ftp.getReplyString()).isTrue();
        ftp.enterLocalPassiveMode();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        return ftp;
    }

    private static void upload(String user, String name, byte[] content) throws IOException {
        FTPClient ftp = login(null, user);
        try (InputStream in = new ByteArrayInputStream(content)) {
            assertThat(ftp.storeFile(name, in)).as(ftp.getReplyString()).isTrue();
        } finally {
            ftp.logout();
            ftp.disconnect();
        }
    }

    private static Path archived(String folder, String kind, String name) {
        return DIR.resolve("ftp-archive").resolve(folder).resolve(kind).resolve(LocalDate.now(ZoneOffset.UTC).toString())
                .resolve(name);
    }

    /** The SharpV sample (camera SHARPV12345 = MPS-GEN-0002) with {@code plate} and the current time. */
    private static byte[] sharpV(String plate) throws IOException {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(20);
        String xml = Files.readString(Path.of("connectors", "genetec-sharpv-ftp", "samples", "001-sharpv-read.xml"))
                .replace("<Plate>YD21ZPK</Plate>", "<Plate>" + plate + "</Plate>")
                .replace("<UTCDate>2025:03:07</UTCDate>", "<UTCDate>" + now.format(DateTimeFormatter.ofPattern("yyyy:MM:dd")) + "</UTCDate>")
                .replace("<UTCTime>08:05:09.412</UTCTime>", "<UTCTime>" + now.format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")) + "</UTCTime>")
                .replace("6ee17b00-82c1-466b-9fd6-003417bc82c4", java.util.UUID.randomUUID().toString());
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static Socket plain(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout((int) T.toMillis());
        return s;
    }

    /** Sends one canonical read as a line; the first byte answered (6 = ACK), -1 when closed. */
    private static int sendLine(Socket s, String plate) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((TestReads.read(plate, java.time.Instant.now().minusSeconds(30), 4) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        s.setSoTimeout((int) T.toMillis());
        return s.getInputStream().read();
    }

    private static boolean closedWithin(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        try {
            while (s.getInputStream().read() >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException | javax.net.ssl.SSLException e) {
            return true;
        }
    }

    private static SSLSocket tls(int port, boolean withClientCertificate) throws Exception {
        SSLSocket s = (SSLSocket) sslContext(withClientCertificate).getSocketFactory().createSocket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout((int) T.toMillis());
        return s;
    }

    private static SSLContext sslContext(boolean withClientCertificate) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load("server-trust.p12"));
        KeyManagerFactory kmf = null;
        if (withClientCertificate) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load("client.p12"), STOREPASS.toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(DIR.resolve(name))) {
            ks.load(in, STOREPASS.toCharArray());
        }
        return ks;
    }

    // ------------------------------------------------------------------------------------ certificates, broker

    private static void keyPair(String name, String dname, String san) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", dname, "-validity", "2", "-keystore", DIR.resolve(name + ".p12").toString(),
                "-storetype", "PKCS12", "-storepass", STOREPASS));
        if (san != null) {
            cmd.addAll(List.of("-ext", san));
        }
        run(cmd);
        run(List.of(keytool(), "-exportcert", "-rfc", "-alias", name, "-file", DIR.resolve(name + ".crt").toString(),
                "-keystore", DIR.resolve(name + ".p12").toString(), "-storepass", STOREPASS));
    }

    private static void trustStore(String name) throws Exception {
        run(List.of(keytool(), "-importcert", "-noprompt", "-alias", name, "-file", DIR.resolve(name + ".crt").toString(),
                "-keystore", DIR.resolve(name + "-trust.p12").toString(), "-storetype", "PKCS12", "-storepass", STOREPASS));
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }

    /** Artemis with its MQTT protocol on a TLS-only acceptor, security on: one user, {@code hub}. */
    private static EmbeddedActiveMQ broker() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        Path dir = Files.createDirectories(DIR.resolve("artemis"));
        config.setBrokerInstance(dir.toFile());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setLargeMessagesDirectory(dir.resolve("large").toString());
        config.setPersistenceEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setSecurityEnabled(true);
        config.putSecurityRoles("#", Set.of(new Role("hub", true, true, true, true, true, true, true, true, true, true, true, true)));
        config.addAcceptorConfiguration("mqtt-tls", "tcp://127.0.0.1:" + MQTT_PORT + "?protocols=MQTT;sslEnabled=true;keyStorePath="
                + DIR.resolve("server.p12") + ";keyStorePassword=" + STOREPASS + ";keyStoreType=PKCS12");
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser("hub", "broker-secret");
        users.addRole("hub", "hub");
        EmbeddedActiveMQ artemis = new EmbeddedActiveMQ();
        artemis.setConfiguration(config);
        artemis.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        artemis.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                artemis.stop();
            } catch (Exception ignored) {
                // JVM exit
            }
        }));
        return artemis;
    }
}
