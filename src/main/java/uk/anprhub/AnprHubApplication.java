package uk.anprhub;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;
import uk.anprhub.core.HubProperties;
import uk.anprhub.core.NasProperties;
import uk.anprhub.transport.ftp.FtpPollProperties;

/**
 * The hub server's Spring configuration root: component scanning starts here. The jar's entry point is
 * {@code cli.Launcher} ({@code bin/anpr-hub <command>}); its {@code run} command starts this application.
 */
@SpringBootApplication
@EnableScheduling
// FtpPollProperties: only a route file reads it (FtpConfiguration runs only with the embedded server)
@EnableConfigurationProperties({HubProperties.class, NasProperties.class, FtpPollProperties.class})
public class AnprHubApplication {
}
