package uk.anprhub.camera;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import uk.anprhub.core.HubProperties;
import uk.anprhub.core.StartupProblem;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14.9: the demo registry is a test fixture, never a production default. A hub with no registry configured
 * refuses to start unless in demo mode; a configured registry wins even in demo mode.
 */
class CameraConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(HubProperties.class)
    static class Properties {
    }

    private final ApplicationContextRunner hub = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class, CameraConfiguration.class);

    @Test
    void noRegistryOutsideDemoModeRefusesToStartSayingWhatToSet() {
        hub.run(context -> {
            assertThat(context).hasFailed();
            Throwable problem = context.getStartupFailure();
            while (problem != null && !(problem instanceof StartupProblem)) {
                problem = problem.getCause();
            }
            assertThat(problem).as("a one-line start-up problem").isNotNull();
            assertThat(problem.getMessage()).startsWith("no camera registry is configured (anpr.cameras.location)")
                    .contains("run --demo");
        });
    }

    @Test
    void demoModeWithoutRegistryLoadsTheDemoFixture() {
        hub.withPropertyValues("anpr.demo=true").run(context -> {
            assertThat(context).hasNotFailed();
            CameraRegistry registry = context.getBean(CameraRegistry.class);
            assertThat(registry.location().toAbsolutePath().normalize()).isEqualTo(Path.of("src/test/resources/cameras").toAbsolutePath().normalize());
            assertThat(registry.cameras()).extracting(Camera::cameraId).contains("MPS-DEMO-0001");
        });
    }

    @Test
    void aConfiguredRegistryWinsInDemoModeToo(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("one.yaml"), """
                cameras:
                  - { cameraId: OWN-1, sourceId: S, feedId: F, vendor: nas, device: { name: gate } }
                """);
        for (String demo : new String[]{"true", "false"}) {
            hub.withPropertyValues("anpr.demo=" + demo, "anpr.cameras.location=" + dir).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(CameraRegistry.class).cameras()).extracting(Camera::cameraId)
                        .containsExactly("OWN-1");
            });
        }
    }
}
