package uk.anprhub.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Unmatched;
import uk.anprhub.AnprHubApplication;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start the hub server: feeds, store, delivery, ops (HTTP on $SERVER_PORT, default 8080).",
                "With no ANPR_DB_URL an embedded PostgreSQL keeps its data under $ANPR_DATA_DIR (default ./data).",
                "ANPR_CONFIG names an extra YAML config merged over the defaults; it must name the camera",
                "registry (anpr.cameras.location): without one the hub refuses to start, except with --demo.",
                "Further --spring.property=value arguments are passed to Spring Boot."})
final class RunCommand implements Callable<Integer> {

    static volatile boolean started;

    @Option(names = "--demo", description = {"Demo/dev mode (same as ANPR_DEMO=true or anpr.demo=true): every connector id",
            "is also an open HTTP feed (/ingest/<connector>), no key, no allowlist. Never in production,",
            "where only feeds declared under anpr.feeds.<id> take HTTP posts. With no anpr.cameras.location",
            "it loads the demo registry src/test/resources/cameras (a test fixture of the checkout)."})
    boolean demo;

    @Unmatched
    List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(springArgs);
        if (demo) {
            args.add("--anpr.demo=true");
        }
        String config = System.getenv("ANPR_CONFIG");
        if (config != null && !config.isBlank()) {
            if (!Files.isRegularFile(Path.of(config))) {
                System.err.println("ANPR_CONFIG=" + config + " is not a readable file");
                return 78;
            }
            System.out.println("Configuration: defaults merged with " + Path.of(config).toAbsolutePath());
            args.add("--spring.config.additional-location=file:" + Path.of(config).toAbsolutePath());
        }
        try {
            startServer(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            // Spring Boot has reported it already (one line for the known kinds, else its stack trace): not twice
            return 1;
        }
        started = true;
        return 0;
    }

    /**
     * The server: waits for an external database first ({@code anpr.db.start-timeout}); start-up failures ops can fix
     * are one line each ({@link StartupFailureReporter}). Spring's own log lines that repeat the failure's whole cause
     * chain before that report are off by default (each can be turned back on with {@code --logging.level.X=...}).
     */
    private static void startServer(String[] args) {
        SpringApplication app = new SpringApplication(AnprHubApplication.class);
        app.addListeners(new DatabaseWait());
        app.setDefaultProperties(Map.of(
                "logging.level.org.springframework.boot.web.embedded.tomcat.TomcatStarter", "OFF",
                "logging.level.org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext", "ERROR",
                "logging.level.org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext", "ERROR",
                "logging.level.org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger", "WARN"));
        app.run(args);
    }
}
