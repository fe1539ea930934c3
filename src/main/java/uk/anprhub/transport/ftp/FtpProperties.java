package uk.anprhub.transport.ftp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The embedded FTP server cameras upload to ({@code anpr.ftp.*}). Off by default: the hub starts without it.
 *
 * @param enabled           start the FTP server
 * @param port              control port (2121: no root needed; map 21 to it in the firewall if a camera insists)
 * @param address           bind address; unset = all interfaces
 * @param passivePorts      passive data ports, e.g. {@code 2122-2199} (open them in the firewall); {@code 0} = any
 * @param passiveExternalAddress the address announced in PASV answers when the hub is behind NAT
 * @param activeEnabled     allow active mode (PORT); the server then connects only back to the client's own address
 * @param tls               FTPS
 * @param maxFileSize       an upload beyond this is refused (the transfer fails, the partial file goes to failed/)
 * @param dir               where the camera home folders live; unset = {@code $ANPR_DATA_DIR/ftp}
 * @param archiveDir        where done/ and failed/ live, outside the homes so a camera account cannot read them
 *                          back; unset = {@code $ANPR_DATA_DIR/ftp-archive}
 * @param retentionDays     done/ and failed/ files are deleted once older than this; unset = {@code anpr.retention.days}
 * @param workers           files ingested in parallel (each waits for its commit)
 * @param maxPendingFiles   files received but not yet settled; beyond it uploads are refused with 452 (retry later)
 * @param quietPeriod       a file found by the folder scan (present at start-up, or put there by other means) is
 *                          taken once unchanged for this long
 * @param scanInterval      how often the home folders are scanned (safety net; uploads are taken at once)
 * @param retryInitial      first back-off when the store is unavailable; doubles up to {@code retryMax}
 * @param retryMax          longest back-off (short: it is how long the inbox may sit idle after the store is back;
 *                          one attempt per back-off is no load on a store that is down)
 * @param cleanupInterval   how often done/ and failed/ are cleaned by age
 * @param fsync             force each upload to disk before answering 226 (the camera may delete its copy then)
 * @param idleTimeout       an idle control connection is closed after this
 * @param maxLogins         concurrent FTP sessions in total
 * @param maxLoginsPerUser  concurrent sessions per account
 * @param ignore            file-name globs never taken (temporary names a camera renames when done)
 * @param accounts          one per camera (or per group of cameras sharing a folder)
 * @param ignoredMaxAge     a file matching {@code ignore} (never taken) that is older than this is moved to
 *                          {@code failed/} with a reason, so abandoned temporary files do not fill the disk
 * @param quotaFiles        default per-account quota: files waiting in the account's home; beyond it uploads are
 *                          refused with 452 (try later)
 * @param quotaBytes        default per-account quota: bytes waiting in the account's home (452 beyond it)
 * @param logins            brute-force protection of the FTP logins
 * @param minFreeSpace      uploads are refused with 452 (try later) while the disk of the homes has less free space
 *                          than this, so a full disk is a transient "insufficient storage", never a 551 mid-transfer
 */
@ConfigurationProperties("anpr.ftp")
public record FtpProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("2121") int port,
        String address,
        @DefaultValue("2122-2199") String passivePorts,
        String passiveExternalAddress,
        @DefaultValue("true") boolean activeEnabled,
        @DefaultValue Tls tls,
        @DefaultValue("50MB") DataSize maxFileSize,
        Path dir,
        Path archiveDir,
        Integer retentionDays,
        @DefaultValue("16") int workers,
        @DefaultValue("10000") int maxPendingFiles,
        @DefaultValue("10s") Duration quietPeriod,
        @DefaultValue("30s") Duration scanInterval,
        @DefaultValue("1s") Duration retryInitial,
        @DefaultValue("5s") Duration retryMax,
        @DefaultValue("1h") Duration cleanupInterval,
        @DefaultValue("true") boolean fsync,
        @DefaultValue("300s") Duration idleTimeout,
        @DefaultValue("200") int maxLogins,
        @DefaultValue("20") int maxLoginsPerUser,
        @DefaultValue({".*", "*.tmp", "*.part", "*.filepart", "*.partial"}) List<String> ignore,
        List<Account> accounts,
        @DefaultValue("1h") Duration ignoredMaxAge,
        @DefaultValue("10000") int quotaFiles,
        @DefaultValue("2GB") DataSize quotaBytes,
        @DefaultValue Logins logins,
        @DefaultValue("256MB") DataSize minFreeSpace) {

    public FtpProperties {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
    }

    /** {@code dir}, else {@code <dataDir>/ftp}; absolute. */
    public Path dirOr(Path dataDir) {
        return (dir != null ? dir : dataDir.resolve("ftp")).toAbsolutePath().normalize();
    }

    /** {@code archive-dir}, else {@code <dataDir>/ftp-archive}; absolute. */
    public Path archiveDirOr(Path dataDir) {
        return (archiveDir != null ? archiveDir : dataDir.resolve("ftp-archive")).toAbsolutePath().normalize();
    }

    /** {@code retention-days}, else the hub's. */
    public int retentionDaysOr(int hubDays) {
        return retentionDays != null ? retentionDays : hubDays;
    }

    public enum TlsMode { NONE, EXPLICIT, IMPLICIT }

    /**
     * FTPS. {@code explicit}: plain port, the client switches with AUTH TLS; {@code implicit}: TLS from the first
     * byte (usually port 990).
     *
     * @param mode             {@code none}, {@code explicit} or {@code implicit}
     * @param keystore         the server's certificate and key (PKCS12 or JKS)
     * @param keystorePassword its password
     * @param keystoreType     {@code PKCS12} or {@code JKS}
     * @param keyPassword      the key's password, when it differs from the keystore's
     * @param keyAlias         the key's alias, when the keystore holds several
     * @param required explicit mode only: refuse USER/PASS before AUTH TLS and uploads without PROT P
     */
    public record Tls(@DefaultValue("none") TlsMode mode, Path keystore, String keystorePassword,
                      @DefaultValue("PKCS12") String keystoreType, String keyPassword, String keyAlias,
                      @DefaultValue("true") boolean required) {
    }

    /**
     * A camera account.
     *
     * @param user         FTP user name
     * @param passwordHash bcrypt hash ({@code bin/anpr-hub hash-password}), never the password itself
     * @param folder       the home folder name under {@code dir}; identifies the camera to the connector
     *                     ({@code $meta.folder}); default: the user name
     * @param feed         the feed (and so the connector) that decodes its files, e.g. {@code hikvision-ftp}
     * @param cameras      camera ids (registry {@code cameraId}; a trailing {@code *} matches a prefix) this account
     *                     may post reads for; a read of any other camera is quarantined {@code camera-not-allowed}.
     *                     Default: the registry cameras whose {@code device.ftpFolder} or {@code device.name} is the
     *                     account's folder or user name, or whose id is either (none found: no camera)
     * @param quotaFiles   files waiting in the home beyond which uploads get 452; default {@code anpr.ftp.quota-files}
     * @param quotaBytes   bytes waiting in the home beyond which uploads get 452; default {@code anpr.ftp.quota-bytes}
     */
    public record Account(String user, String passwordHash, String folder, String feed, List<String> cameras,
                          Integer quotaFiles, DataSize quotaBytes) {
        public Account {
            cameras = cameras == null ? List.of() : List.copyOf(cameras);
        }

        public String folderOrUser() {
            return folder == null || folder.isBlank() ? user : folder;
        }
    }

    /**
     * Brute-force protection: failed logins are counted per account and per source address within {@code window};
     * at the limit, logins for that account / from that address are refused for {@code lockout}, even with the right
     * password. Every failed login is logged and audited ({@code ftp.login-failed}; never the password). A lock on
     * an account also shuts out its camera, so the per-account limit is kept above what a misconfigured camera
     * reaches quickly; set it to 0 to count per address only.
     *
     * @param maxFailuresPerAccount failures for one account (from any address) that lock it; 0 = off
     * @param maxFailuresPerAddress failures from one address (any account, known or not) that lock it; 0 = off
     * @param window                the failures counted are those within this period
     * @param lockout               how long a lock lasts
     * @param perSession            failures after which the server closes the connection
     * @param delay                 pause after each failed login
     */
    public record Logins(@DefaultValue("10") int maxFailuresPerAccount, @DefaultValue("20") int maxFailuresPerAddress,
                         @DefaultValue("10m") Duration window, @DefaultValue("10m") Duration lockout,
                         @DefaultValue("3") int perSession, @DefaultValue("1s") Duration delay) {
    }
}
