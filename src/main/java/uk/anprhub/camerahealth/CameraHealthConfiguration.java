package uk.anprhub.camerahealth;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.store.ReadWriter;

import java.time.Clock;
import java.util.List;

/**
 * Camera health (docs/camera-health.md): fed by the store's commit listener hook; exposes the API, the metrics
 * {@code anpr_camera_silent}, {@code anpr_camera_drifting}, {@code anpr_camera_poor_reads}, {@code anpr_camera_quiet},
 * {@code anpr_camera_state{camera}} and health component
 * {@code cameras} (DEGRADED while a camera is silent; never in the readiness group).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CameraHealthProperties.class)
class CameraHealthConfiguration {

    /** Between UP and DOWN ({@code management.endpoint.health.status.order}), answered with 200. */
    static final Status DEGRADED = new Status("DEGRADED", "the hub takes reads; a camera has gone silent");

    @Bean(destroyMethod = "close")
    CameraHealthService cameraHealthService(CameraHealthProperties props, CameraRegistry registry, ReadWriter writer,
                                            JdbcTemplate jdbc, Clock clock, MeterRegistry meters,
                                            org.springframework.context.ApplicationEventPublisher events) {
        CameraHealthService service = new CameraHealthService(new CameraHealth(props, clock), registry, props);
        service.onChange(events::publishEvent); // camera events of the alert stream (uk.anprhub.alert)
        Gauge.builder("anpr_camera_silent", service, CameraHealthService::silent)
                .description("registered cameras silent now: no read for longer than their learned normal gap allows")
                .register(meters);
        Gauge.builder("anpr_camera_drifting", service, CameraHealthService::drifting)
                .description("registered cameras whose clock drift (median received - captured) is beyond the limit now")
                .register(meters);
        Gauge.builder("anpr_camera_poor_reads", service, CameraHealthService::poorReads)
                .description("registered cameras with too many unreadable or low-confidence reads among their last reads")
                .register(meters);
        Gauge.builder("anpr_camera_quiet", service, CameraHealthService::quiet)
                .description("registered cameras far below their hour-of-week read-rate baseline now (not silent)")
                .register(meters);
        registerStateGauge(service, meters);
        writer.addListener(service); // first: a read committed while the store is asked is not missed
        service.seedInBackground(jdbc, clock);
        return service;
    }

    /**
     * One series per registered camera (bounded by the registry, never by what senders claim): 0 ok, 1 silent,
     * -1 never seen. Rows follow the registry at each evaluation.
     */
    private static void registerStateGauge(CameraHealthService service, MeterRegistry meters) {
        MultiGauge state = MultiGauge.builder("anpr_camera_state")
                .description("per registered camera: 0 ok, 1 silent, -1 never seen").register(meters);
        service.afterEvaluation(statuses -> state.register(statuses.stream()
                .<MultiGauge.Row<?>>map(s -> MultiGauge.Row.of(Tags.of("camera", s.cameraId()), value(s.state())))
                .toList(), true));
    }

    private static double value(String state) {
        return switch (state) {
            case CameraStatus.SILENT -> 1;
            case CameraStatus.OK -> 0;
            default -> -1;
        };
    }

    /** Health component {@code cameras}: DEGRADED (not DOWN) while any camera is silent; ids, no plates. */
    @Bean(name = "cameras")
    HealthIndicator camerasHealth(CameraHealthService service) {
        return () -> {
            List<String> silent = service.statuses().stream().filter(s -> CameraStatus.SILENT.equals(s.state()))
                    .map(CameraStatus::cameraId).limit(50).toList();
            Health.Builder b = silent.isEmpty() ? Health.up() : Health.status(DEGRADED);
            return b.withDetail("silent", service.silent()).withDetail("drifting", service.drifting())
                    .withDetail("poorReads", service.poorReads()).withDetail("quiet", service.quiet())
                    .withDetail("silentCameras", silent).build();
        };
    }
}
