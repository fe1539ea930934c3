package uk.anprhub.camera;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import uk.anprhub.core.Home;
import uk.anprhub.core.HubProperties;
import uk.anprhub.core.StartupProblem;

import java.io.IOException;
import java.nio.file.Path;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CameraProperties.class)
public class CameraConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CameraConfiguration.class);
    /**
     * The demo registry: the test fixture of the connector samples, relative to the hub's home (a checkout). Loaded
     * only in demo mode and only when no registry is configured: never a production default.
     */
    public static final Path DEMO_REGISTRY = Path.of("src", "test", "resources", "cameras");

    @Bean
    CameraRegistry cameraRegistry(CameraProperties props, HubProperties hub) throws IOException {
        Path location = props.location();
        if (location == null) {
            if (!hub.demo()) { // a hub that took reads matching demo identities would file them under demo cameras
                throw new StartupProblem("no camera registry is configured", "anpr.cameras.location",
                        "point anpr.cameras.location (in the ANPR_CONFIG file, or ANPR_CAMERAS_LOCATION) at the folder "
                                + "of your camera files; only `run --demo` loads the demo registry");
            }
            location = Home.resolve(DEMO_REGISTRY);
            log.warn("DEMO MODE and no camera registry configured (anpr.cameras.location): loading the DEMO registry {}",
                    location.toAbsolutePath().normalize());
        }
        CameraRegistry registry = new CameraRegistry(location);
        registry.reload();
        return registry;
    }
}
