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

    /**
     * The server: waits for an external database first ({@code anpr.db.start-timeout}); start-up failures ops can fix
     * are one line each ({@code StartupFailureReporter}). Spring's own log lines that repeat the failure's whole cause
     * chain before that report are off by default (each can be turned back on with {@code --logging.level.X=...}).
     */
    public static void run(String[] args) {
        SpringApplication app = new SpringApplication(AnprHubApplication.class);
        app.addListeners(new uk.anprhub.cli.DatabaseWait());
        app.setDefaultProperties(java.util.Map.of(
                "logging.level.org.springframework.boot.web.embedded.tomcat.TomcatStarter", "OFF",
                "logging.level.org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext", "ERROR",
                "logging.level.org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext", "ERROR",
                "logging.level.org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger", "WARN"));
        app.run(args);
    }
}
