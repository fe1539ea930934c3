package uk.anprhub.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import uk.anprhub.core.Home;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.normalise.OfflineRun;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.ValidationPolicy;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "normalise", mixinStandardHelpOptions = true,
        description = {"Run one connector's decode + mapping + validation on captured payloads, offline (no server,",
                "no database). Prints one canonical read per line as JSON. Transport metadata of FILE (HTTP headers,",
                "FTP folder...) is read from FILE's .meta.yaml sibling when present.",
                "Exit 0: every file decoded; 2: a file was refused (reason on stderr); 64: unknown connector."})
final class NormaliseCommand implements Callable<Integer> {

    @Option(names = "--connector", required = true, description = "connector id (folder under connectors/)")
    String connectorId;

    @Option(names = "--camera-tz", description = "time zone for local times of cameras with none in the registry, or not registered (e.g. Europe/London)")
    ZoneId cameraTz;

    @Option(names = "--cameras", description = "camera registry file or folder (default: src/test/resources/cameras, the demo registry)")
    Path cameras = uk.anprhub.camera.CameraConfiguration.DEMO_REGISTRY;

    @Option(names = "--accept-unknown-cameras", description = "normalise reads of cameras missing from the registry (flagged)")
    boolean acceptUnknown;

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        CliLogging.toStderr();
        ConnectorCatalog catalog = ConnectorCatalog.load(Home.resolve(Path.of("connectors")), Home.resolve(Path.of("mappings")));
        Connector connector = catalog.find(connectorId).orElse(null);
        if (connector == null) {
            String broken = catalog.broken().get(connectorId);
            System.err.println(broken != null ? "connector '" + connectorId + "' does not load: " + broken
                    : "unknown connector '" + connectorId + "'; known: " + String.join(", ", catalog.ids()));
            return 64;
        }
        CameraRegistry registry = new CameraRegistry(Home.resolve(cameras));
        registry.reload();
        OfflineRun run = new OfflineRun(new Normaliser(registry, ValidationPolicy.offline(cameraTz)), acceptUnknown);
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        int exit = 0;
        for (Path file : files) {
            if (!OfflineRun.isPayload(file)) {
                continue; // a sample's sidecar files, picked up by a glob such as samples/001-*
            }
            try {
                for (NasRead read : run.run(connector, file)) {
                    System.out.println(json.writeValueAsString(read));
                }
            } catch (RejectedException e) {
                System.err.println(file + ": " + e.reason() + ": " + e.detail());
                exit = 2;
            } catch (java.io.IOException e) {
                System.err.println(file + ": unreadable: " + e.getMessage());
                exit = 2;
            }
        }
        return exit;
    }
}
