package uk.anprhub.transport.ftp;

import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Apache FtpServer configured from {@link FtpProperties}: one listener (plain, explicit or implicit FTPS), the
 * camera accounts, the size-limited and fsyncing file system, and the {@link UploadFtplet} that feeds the
 * {@link FtpInbox}.
 */
public final class EmbeddedFtpServer implements SmartLifecycle,
        ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedFtpServer.class);
    /** Before the web server (Boot: DEFAULT_PHASE - 2048): once /actuator/health answers, FTP listens too. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final FtpProperties props;
    private final FtpInbox inbox;
    private final LoginGuard guard;
    private FtpServer server;
    /** Until the hub can take reads (Spring's readiness), a camera connecting gets 421 "try again" and is closed. */
    private volatile boolean ready;

    EmbeddedFtpServer(FtpProperties props, FtpInbox inbox, LoginGuard guard) {
        this.props = props;
        this.inbox = inbox;
        this.guard = guard;
    }

    @Override
    public synchronized void start() {
        FtpProperties.Tls tls = props.tls();
        SslConfiguration ssl = tls.mode() == FtpProperties.TlsMode.NONE ? null : ssl(tls);

        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassivePorts(props.passivePorts());
        if (props.passiveExternalAddress() != null && !props.passiveExternalAddress().isBlank()) {
            data.setPassiveExternalAddress(props.passiveExternalAddress());
        }
        data.setActiveEnabled(props.activeEnabled());
        data.setActiveIpCheck(true); // no FTP bounce: active connections only back to the client itself
        data.setPassiveIpCheck(true);
        data.setImplicitSsl(tls.mode() == FtpProperties.TlsMode.IMPLICIT);
        if (ssl != null) {
            data.setSslConfiguration(ssl);
        }

        ListenerFactory listener = new ListenerFactory();
        listener.setPort(props.port());
        if (props.address() != null && !props.address().isBlank()) {
            listener.setServerAddress(props.address());
        }
        listener.setIdleTimeout((int) props.idleTimeout().toSeconds());
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        // The control connection exchanges small replies (150, 226) with the client's next command: without
        // TCP_NODELAY, Nagle + delayed ACK add ~40 ms to every upload. The session filter hook is the only place
        // Apache FtpServer lets us reach the socket options of a new session.
        listener.setSessionFilter(session -> {
            if (session.getConfig() instanceof org.apache.mina.transport.socket.SocketSessionConfig c) {
                c.setTcpNoDelay(true);
            }
            return true;
        });
        if (ssl != null) {
            listener.setSslConfiguration(ssl);
            listener.setImplicitSsl(tls.mode() == FtpProperties.TlsMode.IMPLICIT);
        }

        ConnectionConfigFactory connections = new ConnectionConfigFactory();
        connections.setAnonymousLoginEnabled(false);
        connections.setMaxAnonymousLogins(0);
        connections.setMaxLogins(props.maxLogins());
        connections.setMaxThreads(Math.max(16, props.maxLogins()));
        // per session only: a reconnect starts again at 0, hence the LoginGuard across sessions
        connections.setMaxLoginFailures(props.logins().perSession());
        connections.setLoginFailureDelay((int) props.logins().delay().toMillis());

        Map<String, String> homes = new LinkedHashMap<>();
        Map<String, FtpInbox.Account> byUser = new LinkedHashMap<>();
        for (FtpInbox.Account a : inbox.accounts()) {
            homes.put(a.user(), a.home().toString());
            byUser.put(a.user(), a);
        }

        FtpServerFactory factory = new FtpServerFactory();
        factory.addListener("default", listener.createListener());
        factory.setConnectionConfig(connections.createConnectionConfig());
        factory.setUserManager(new FtpAccounts(props.accounts(), homes, (int) props.idleTimeout().toSeconds(),
                props.maxLoginsPerUser(), guard));
        factory.setFileSystem(new InboxFileSystemFactory(props.maxFileSize().toBytes(), props.fsync(), inbox.uploads()));
        Map<String, org.apache.ftpserver.ftplet.Ftplet> ftplets = new LinkedHashMap<>();
        ftplets.put("anpr-ready", new DefaultFtplet() {
            @Override
            public FtpletResult onConnect(FtpSession session) throws FtpException {
                if (ready) {
                    return FtpletResult.DEFAULT;
                }
                session.write(new DefaultFtpReply(FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
                        "ANPR hub starting or stopping, try again shortly"));
                return FtpletResult.DISCONNECT;
            }
        });
        ftplets.put("anpr-inbox", new UploadFtplet(inbox.uploads(), inbox.limits(), byUser,
                tls.mode() == FtpProperties.TlsMode.EXPLICIT && tls.required()));
        factory.setFtplets(ftplets);
        server = factory.createServer();
        try {
            server.start();
        } catch (FtpException e) {
            throw new IllegalStateException("FTP server could not start on port " + props.port() + ": " + e.getMessage(), e);
        }
        log.info("FTP server listening on port {} (TLS {}, passive ports {}, max file size {}, {} account(s))",
                props.port(), tls.mode().name().toLowerCase(java.util.Locale.ROOT), props.passivePorts(),
                props.maxFileSize(), props.accounts().size());
    }

    private static SslConfiguration ssl(FtpProperties.Tls tls) {
        if (tls.keystore() == null || !Files.isReadable(tls.keystore())) {
            throw new IllegalStateException("anpr.ftp.tls.mode=" + tls.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + " needs a readable anpr.ftp.tls.keystore (got " + tls.keystore() + ")");
        }
        SslConfigurationFactory f = new SslConfigurationFactory();
        f.setKeystoreFile(tls.keystore().toFile());
        f.setKeystoreType(tls.keystoreType());
        if (tls.keystorePassword() != null) {
            f.setKeystorePassword(tls.keystorePassword());
        }
        f.setKeyPassword(tls.keyPassword() != null ? tls.keyPassword() : tls.keystorePassword());
        if (tls.keyAlias() != null) {
            f.setKeyAlias(tls.keyAlias());
        }
        f.setSslProtocol("TLSv1.3", "TLSv1.2");
        return f.createSslConfiguration();
    }

    /**
     * Apache FtpServer logs every upload's file name at INFO; names carry plates (personal data). Unless the
     * operator set that logger's level, it logs warnings only.
     */
    static void quietCommandLog(Environment env, LoggingSystem logging) {
        if (logging != null && !env.containsProperty("logging.level.org.apache.ftpserver.command")) {
            logging.setLogLevel("org.apache.ftpserver.command", LogLevel.WARN);
        }
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        ready = event.getState() == ReadinessState.ACCEPTING_TRAFFIC;
    }

    @Override
    public synchronized void stop() {
        if (server != null && !server.isStopped()) {
            server.stop();
            log.info("FTP server stopped");
        }
        server = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null && !server.isStopped();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
