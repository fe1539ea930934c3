package uk.anprhub.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import uk.anprhub.core.HubProperties;
import uk.anprhub.ingest.FeedsProperties;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.ingest.IngestMetrics;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every scrape of {@code /actuator/prometheus} can rely on: a help text on every {@code anpr_*} metric, the
 * hub's version ({@code anpr_build_info{version}} = 1), and the ingest series of every known feed at zero from the
 * start. Known feeds: those under {@code anpr.feeds} and {@code anpr.tcp.feeds}, and in demo mode every connector id.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    /**
     * Help texts for hub meters registered without a description (Prometheus prints an empty HELP line for them).
     * A meter's own description wins.
     */
    static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("anpr_ftp_files", "FTP uploads handled, by outcome"),
            Map.entry("anpr_ftp_files_pending", "FTP uploads waiting to be ingested"),
            Map.entry("anpr_delivery_send_failures", "Delivery requests that failed, by target and kind of failure"),
            Map.entry("anpr_delivery_backlog", "Reads stored but not yet delivered to the target"),
            Map.entry("anpr_delivery_lag_seconds", "Age of the oldest read not yet delivered to the target"),
            Map.entry("anpr_dead_letters", "Reads in the target's dead-letter store now"),
            Map.entry("anpr_delivery_paused", "1 while delivery to the target is paused by an operator"),
            Map.entry("anpr_store_pending_reads", "Reads waiting for the store's group commit"),
            Map.entry("anpr_http_ingest_refused", "HTTP ingest requests refused before their body was read, by reason"));

    @Bean
    MeterFilter anprHelpTexts() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String help = HELP.get(id.getName());
                if (help == null || (id.getDescription() != null && !id.getDescription().isBlank())) {
                    return id;
                }
                return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()),
                        id.getBaseUnit(), help, id.getType());
            }
        };
    }

    @Bean
    ApplicationListener<ApplicationStartedEvent> anprKnownSeries(MeterRegistry meters, FeedsProperties props, Environment env,
                                                                 ConnectorCatalog connectors,
                                                                 HubProperties hub,
                                                                 ObjectProvider<BuildProperties> build,
                                                                 ObjectProvider<PrometheusRegistry> prometheus) {
        return event -> {
            Set<String> feeds = new TreeSet<>(props.feeds().keySet());
            feeds.addAll(Binder.get(env).bind("anpr.tcp.feeds", Bindable.mapOf(String.class, Object.class))
                    .orElse(Map.of()).keySet());
            if (hub.demo()) {
                feeds.addAll(connectors.ids());
            }
            IngestMetrics.registerKnown(meters, feeds);
            // an info metric of the Prometheus registry: a Micrometer gauge named *_info loses the suffix
            BuildProperties b = build.getIfAvailable();
            prometheus.ifAvailable(registry -> Info.builder().name("anpr_build_info").help("The hub's version (always 1)")
                    .labelNames("version").register(registry)
                    .addLabelValues(b == null || b.getVersion() == null ? "unknown" : b.getVersion()));
        };
    }
}
