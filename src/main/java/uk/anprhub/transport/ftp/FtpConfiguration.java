package uk.anprhub.transport.ftp;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import uk.anprhub.store.RetentionProperties;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.core.HubProperties;
import uk.anprhub.ingest.IngestService;

import java.time.Clock;
import java.util.List;

/**
 * The FTP transport, only with {@code anpr.ftp.enabled=true}: camera accounts from {@code anpr.ftp.accounts},
 * each home folder {@code <dir>/<folder>} identifying its camera(s), files ingested through the account's feed
 * (whose connector decodes them; a connector id is a feed id by default).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "anpr.ftp", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(FtpProperties.class)
public class FtpConfiguration {

    @Bean
    FtpInbox ftpInbox(FtpProperties props, HubProperties hub, RetentionProperties retention, IngestService ingest, Clock clock, MeterRegistry meters,
                      CameraRegistry cameras) {
        List<FtpInbox.Account> accounts = InboxAccounts.from(props, props.dirOr(hub.dataDir()), ingest);
        HubIngest sink = new HubIngest(ingest, cameras);
        sink.reportBindings(accounts);
        return new FtpInbox(sink, accounts, props.archiveDirOr(hub.dataDir()), clock, props,
                props.retentionDaysOr(retention.days()), meters);
    }

    @Bean
    EmbeddedFtpServer embeddedFtpServer(FtpProperties props, FtpInbox inbox, Clock clock, ObjectProvider<AuditLog> audit,
                                        Environment env, ObjectProvider<LoggingSystem> logging) {
        EmbeddedFtpServer.quietCommandLog(env, logging.getIfAvailable());
        AuditLog auditLog = audit.getIfAvailable();
        LoginGuard guard = new LoginGuard(props.logins(), clock, auditLog == null ? (a, d) -> { } : auditLog::record);
        return new EmbeddedFtpServer(props, inbox, guard);
    }
}
