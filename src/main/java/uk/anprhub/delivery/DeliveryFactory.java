package uk.anprhub.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.store.ImageStore;

import javax.sql.DataSource;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the delivery of this instance from configuration: a worker per enabled target, the targets recorded. */
final class DeliveryFactory {

    private DeliveryFactory() {
    }

    /**
     * Builds the workers of every enabled target (also used by tests and tools, without Spring).
     *
     * @param defaultNasUrl {@code ANPR_NAS_URL}, for a nas target without its own url
     * @param sslBundles    the bundles a target's {@code http.ssl-bundle} names (without Spring: an empty
     *                      {@code DefaultSslBundleRegistry} or one of your own)
     */
    static DeliveryService create(DeliveryProperties props, DataSource dataSource, ImageStore images, ObjectMapper mapper,
                                  MeterRegistry meters, Clock clock, String defaultNasUrl, AuditLog audit,
                                  SslBundles sslBundles) {
        Map<String, URI> urls = TargetUrls.of(props, defaultNasUrl); // before anything starts: one clear line
        DeliveryStore store = new DeliveryStore(dataSource);
        Map<String, TargetWorker> workers = new LinkedHashMap<>();
        Map<String, Boolean> enabled = new LinkedHashMap<>();
        props.targets().forEach((id, t) -> {
            enabled.put(id, t.enabledFor(id));
            if (t.enabledFor(id)) {
                workers.put(id, new TargetWorker(id, t, urls.get(id), WireAdapters.create(id, t, images, mapper, defaultNasUrl, sslBundles),
                        store, meters));
            }
        });
        try {
            store.syncTargets(enabled);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record delivery targets", e);
        }
        return new DeliveryService(workers, store, new DeadLetters(new JdbcTemplate(dataSource)), audit, clock,
                props.statsInterval(), meters);
    }
}
