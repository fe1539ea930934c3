package uk.anprhub.support;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A fresh {@code anpr.data-dir} for every Spring context a test class starts, not one per JVM: Spring caches a
 * context per configuration, so two test classes of one base class with different properties run two hubs, and two
 * embedded PostgreSQLs on one data directory in one JVM fail (OverlappingFileLockException). The initializer is part
 * of the context's cache key, so test classes sharing a configuration still share the context and its folder.
 */
public final class ContextDataDir implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        try {
            String dir = Files.createTempDirectory("anpr-hub-it").toString();
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("anpr-test-data-dir", Map.of("anpr.data-dir", dir)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
