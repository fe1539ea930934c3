package uk.anprhub.transport.ftp;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import uk.anprhub.core.HubProperties;
import uk.anprhub.store.RetentionProperties;
import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.ingest.IngestResult;
import uk.anprhub.ingest.IngestService;
import uk.anprhub.message.RawMessage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The FTP transport, only with {@code anpr.ftp.enabled=true}: camera accounts from {@code anpr.ftp.accounts},
 * each home folder {@code <dir>/<folder>} identifying its camera(s), files ingested through the account's feed
 * (whose connector decodes them; a connector id is a feed id by default).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "anpr.ftp", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(FtpProperties.class)
public class FtpConfiguration {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FtpConfiguration.class);

    private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    @Bean
    FtpInbox ftpInbox(FtpProperties props, HubProperties hub, RetentionProperties retention, IngestService ingest, Clock clock, MeterRegistry meters,
                      Environment env, ObjectProvider<LoggingSystem> logging, CameraRegistry cameras) {
        quietFtpServerLogs(env, logging.getIfAvailable());
        Path dir = (props.dir() != null ? props.dir() : hub.dataDir().resolve("ftp")).toAbsolutePath().normalize();
        Path archive = (props.archiveDir() != null ? props.archiveDir() : hub.dataDir().resolve("ftp-archive"))
                .toAbsolutePath().normalize();
        List<FtpInbox.Account> accounts = accounts(props, dir, ingest);
        int retentionDays = props.retentionDays() != null ? props.retentionDays() : retention.days();
        FtpInbox.Ingest sink = new FtpInbox.Ingest() {
            @Override
            public IngestResult ingest(RawMessage message) {
                return ingest.ingest(message);
            }

            @Override
            public IngestResult refuse(RawMessage message, String reason, String detail, int status) {
                return ingest.refuse(message, reason, detail, status);
            }

            @Override
            public List<String> allowedCameras(FtpInbox.Account account) {
                return account.cameras().isEmpty() ? camerasOf(account, cameras) : account.cameras();
            }
        };
        for (FtpInbox.Account a : accounts) {
            List<String> bound = sink.allowedCameras(a);
            if (bound.isEmpty()) {
                log.warn("FTP account {} is bound to no camera (no registry camera has ftpFolder/name '{}'): its reads "
                        + "are quarantined as camera-not-allowed until anpr.ftp.accounts[].cameras lists them", a.user(), a.folder());
            } else {
                log.info("FTP account {} may post reads for camera(s) {}", a.user(), bound);
            }
        }
        return new FtpInbox(sink, accounts, archive, clock, props, retentionDays, meters);
    }

    @Bean
    EmbeddedFtpServer embeddedFtpServer(FtpProperties props, FtpInbox inbox, Clock clock, ObjectProvider<AuditLog> audit) {
        AuditLog auditLog = audit.getIfAvailable();
        LoginGuard guard = new LoginGuard(props.logins(), clock, auditLog == null ? (a, d) -> { } : auditLog::record);
        return new EmbeddedFtpServer(props, inbox, guard);
    }

    /**
     * The default binding of an account without {@code cameras}: the registry cameras (looked up per file, so a
     * registry reload applies) whose device's FTP folder or name is the account's folder or user name, or whose id
     * is either.
     */
    static List<String> camerasOf(FtpInbox.Account account, CameraRegistry registry) {
        Set<String> names = new HashSet<>(List.of(account.folder(), account.user()));
        List<String> ids = new ArrayList<>();
        for (Camera c : registry.cameras()) {
            Camera.Device d = c.device();
            if (names.contains(c.cameraId()) || (d.ftpFolder() != null && names.contains(d.ftpFolder()))
                    || (d.name() != null && names.contains(d.name()))) {
                ids.add(c.cameraId());
            }
        }
        return ids;
    }

    static List<FtpInbox.Account> accounts(FtpProperties props, Path dir, IngestService ingest) {
        if (props.accounts().isEmpty()) {
            throw new IllegalStateException("anpr.ftp.enabled=true but no anpr.ftp.accounts: add one per camera "
                    + "(user, password-hash, folder, feed)");
        }
        List<FtpInbox.Account> out = new ArrayList<>();
        Set<String> users = new HashSet<>();
        for (int i = 0; i < props.accounts().size(); i++) {
            FtpProperties.Account a = props.accounts().get(i);
            String where = "anpr.ftp.accounts[" + i + "]";
            if (a.user() == null || a.user().isBlank() || !users.add(a.user())) {
                throw new IllegalStateException(where + ": a unique user name is needed");
            }
            if (a.passwordHash() == null || !a.passwordHash().startsWith("$2")) {
                throw new IllegalStateException(where + " (" + a.user() + "): password-hash must be a bcrypt hash "
                        + "(make one with: bin/anpr-hub hash-password)");
            }
            String folder = a.folderOrUser();
            if (!FOLDER.matcher(folder).matches()) {
                throw new IllegalStateException(where + " (" + a.user() + "): folder '" + folder
                        + "' must be a plain folder name (letters, digits, . _ -)");
            }
            if (a.feed() == null || a.feed().isBlank()) {
                throw new IllegalStateException(where + " (" + a.user() + "): feed is needed (e.g. hikvision-ftp)");
            }
            if (ingest != null && ingest.feed(a.feed()) == null) {
                throw new IllegalStateException(where + " (" + a.user() + "): feed '" + a.feed()
                        + "' is neither configured (anpr.feeds) nor a connector id");
            }
            int quotaFiles = a.quotaFiles() != null ? a.quotaFiles() : props.quotaFiles();
            long quotaBytes = (a.quotaBytes() != null ? a.quotaBytes() : props.quotaBytes()).toBytes();
            out.add(new FtpInbox.Account(a.user(), folder, a.feed(), dir.resolve(folder), a.cameras(), quotaFiles, quotaBytes));
        }
        return out;
    }

    /** Apache FtpServer logs every upload's file name at INFO; names carry plates (personal data). */
    private static void quietFtpServerLogs(Environment env, LoggingSystem logging) {
        if (logging != null && !env.containsProperty("logging.level.org.apache.ftpserver.command")) {
            logging.setLogLevel("org.apache.ftpserver.command", LogLevel.WARN);
        }
    }
}
