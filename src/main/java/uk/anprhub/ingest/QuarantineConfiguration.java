package uk.anprhub.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.store.QuarantineStore;

/**
 * Quarantine operations ({@link QuarantineService}): re-processing, the held-rows gauge (refreshed every {@code anpr.quarantine.held-refresh},
 * default 30 s), the rate-limited quarantine log, and the {@code uk.anprhub:type=Quarantine} MBean.
 */
@Configuration(proxyBeanMethods = false)
public class QuarantineConfiguration {

    @Bean
    Reprocessing reprocessing(QuarantineStore quarantine, IngestService ingest) {
        return new Reprocessing(quarantine, ingest);
    }

    @Bean
    QuarantineHeld quarantineHeld(QuarantineStore quarantine, MeterRegistry meters) {
        return new QuarantineHeld(quarantine, meters);
    }

    @Bean
    QuarantineService quarantineService(QuarantineStore quarantine, Reprocessing reprocessing, QuarantineHeld held,
                                        ConnectorCatalog connectors, AuditLog audit) {
        return new QuarantineService(quarantine, reprocessing, held, connectors, audit);
    }

    /** Camera registry reloads (API and the file watch), each audited. */
    @Bean
    CameraReloads cameraReloads(CameraRegistry cameras, AuditLog audit) {
        return new CameraReloads(cameras, audit);
    }

    @Bean(initMethod = "register", destroyMethod = "unregister")
    QuarantineMBean quarantineMBean(QuarantineHeld held, QuarantineService service) {
        return new QuarantineMBean(held, service);
    }

    @Bean
    QuarantineTicker quarantineTicker(QuarantineHeld held, IngestService ingest) {
        return new QuarantineTicker(held, ingest.quarantineLog());
    }

    /** The periodic work: recount the held rows, write the log summaries whose minute has passed. */
    static final class QuarantineTicker {
        private final QuarantineHeld held;
        private final QuarantineLog log;

        QuarantineTicker(QuarantineHeld held, QuarantineLog log) {
            this.held = held;
            this.log = log;
        }

        @Scheduled(fixedDelayString = "${anpr.quarantine.held-refresh:PT30S}")
        void refresh() {
            held.refresh();
        }

        @Scheduled(fixedDelay = 10_000)
        void flushLog() {
            log.flush();
        }

        @jakarta.annotation.PreDestroy
        void stop() {
            log.flushAll();
        }
    }
}
