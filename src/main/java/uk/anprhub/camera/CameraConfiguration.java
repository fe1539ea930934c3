package uk.anprhub.camera;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import uk.anprhub.Home;
import uk.anprhub.HubProperties;

import java.io.IOException;
import java.nio.file.Path;

@Configuration(proxyBeanMethods = false)
public class CameraConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CameraConfiguration.class);
    static final Path DEMO_REGISTRY = Path.of("config", "cameras");

    @Bean
    CameraRegistry cameraRegistry(HubProperties props) throws IOException {
        Path location = props.cameras().location();
        if (location == null) {
            location = Home.resolve(DEMO_REGISTRY);
            log.warn("No camera registry configured (anpr.cameras.location / ANPR_CONFIG): loading the DEMO registry {}",
                    location.toAbsolutePath().normalize());
        }
        CameraRegistry registry = new CameraRegistry(location);
        registry.reload();
        return registry;
    }

    @Bean
    RegistryWatcher registryWatcher(CameraRegistry registry) {
        return new RegistryWatcher(registry);
    }

    /** Picks up edits of the camera files without a restart. */
    static final class RegistryWatcher {
        private final CameraRegistry registry;

        RegistryWatcher(CameraRegistry registry) {
            this.registry = registry;
        }

        @Scheduled(fixedDelayString = "${anpr.cameras.reload-check:PT5S}")
        void check() {
            registry.reloadIfChanged();
        }
    }
}
