package uk.anprhub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;
import uk.anprhub.cli.Launcher;

/** The hub server. {@link Launcher} is the command-line entry; {@code run} lands here. */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(HubProperties.class)
public class AnprHubApplication {

    public static void main(String[] args) {
        Launcher.main(args);
    }

    public static void run(String[] args) {
        SpringApplication.run(AnprHubApplication.class, args);
    }
}
