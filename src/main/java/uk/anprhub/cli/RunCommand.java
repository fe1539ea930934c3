package uk.anprhub.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;
import uk.anprhub.AnprHubApplication;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start the hub server: feeds, store, delivery, ops (HTTP on $SERVER_PORT, default 8080).",
                "With no ANPR_DB_URL an embedded PostgreSQL keeps its data under $ANPR_DATA_DIR (default ./data).",
                "ANPR_CONFIG names an extra YAML config merged over the defaults.",
                "Further --spring.property=value arguments are passed to Spring Boot."})
final class RunCommand implements Callable<Integer> {

    static volatile boolean started;

    @Unmatched
    List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(springArgs);
        String config = System.getenv("ANPR_CONFIG");
        if (config != null && !config.isBlank()) {
            if (!Files.isRegularFile(Path.of(config))) {
                System.err.println("ANPR_CONFIG=" + config + " is not a readable file");
                return 78;
            }
            System.out.println("Configuration: defaults merged with " + Path.of(config).toAbsolutePath());
            args.add("--spring.config.additional-location=file:" + Path.of(config).toAbsolutePath());
        }
        started = true;
        AnprHubApplication.run(args.toArray(String[]::new));
        return 0;
    }
}
