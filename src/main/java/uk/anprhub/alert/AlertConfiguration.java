package uk.anprhub.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import uk.anprhub.camerahealth.CameraStateChanged;
import uk.anprhub.hotlist.HotlistProperties;
import uk.anprhub.hotlist.Hotlists;
import uk.anprhub.store.ClusterLocks;
import uk.anprhub.store.ReadWriter;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Matching and alerts (docs/hotlists.md): the matcher on the store's commit hook, hits, the SSE stream, webhooks,
 * hit retention, and the metrics {@code anpr_hotlist_hits_total{list}}, {@code anpr_alert_latency_seconds},
 * {@code anpr_hotlist_match_dropped_total}, {@code anpr_hotlist_entries}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlertProperties.class)
class AlertConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AlertConfiguration.class);

    @Bean
    HitStore hitStore(JdbcTemplate jdbc, PlatformTransactionManager txm) {
        return new HitStore(jdbc, new TransactionTemplate(txm));
    }

    @Bean(destroyMethod = "close")
    AlertStream alertStream(AlertProperties props, Clock clock, MeterRegistry meters) {
        Timer latency = Timer.builder("anpr_alert_latency")
                .description("from a read's commit to its hit written to an alert stream subscriber")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(meters);
        AlertStream stream = new AlertStream(clock, latency, props.streamThreads());
        Gauge.builder("anpr_alert_stream_subscribers", stream, AlertStream::size)
                .description("clients connected to /api/v1/alerts/stream").register(meters);
        return stream;
    }

    @Bean(destroyMethod = "close")
    Webhooks webhooks(JdbcTemplate jdbc, HitStore hits, AlertProperties props, ObjectMapper json) {
        props.webhooks().forEach((id, w) -> {
            if (w.url() == null) {
                throw new IllegalStateException("anpr.alerts.webhooks." + id + ".url is required");
            }
        });
        return new Webhooks(jdbc, hits, props, json);
    }

    @Bean
    ParkedHits parkedHits(HitStore hits, MeterRegistry meters) {
        ParkedHits parked = new ParkedHits(hits);
        Gauge.builder("anpr_hotlist_hits_parked", parked, ParkedHits::waiting)
                .description("hotlist matches whose hit could not be stored yet: parked, retried until stored").register(meters);
        return parked;
    }

    @Bean
    Alerts alerts(HitStore hits, Hotlists hotlists, AlertStream stream, Webhooks webhooks, ParkedHits parked, MeterRegistry meters) {
        return new Alerts(hits, hotlists, stream, webhooks, parked, meters);
    }

    @Bean(destroyMethod = "close")
    Matcher matcher(Hotlists hotlists, Clock clock, HotlistProperties props, Alerts alerts, ReadWriter writer,
                    MeterRegistry meters) {
        Matcher matcher = new Matcher(hotlists, clock, props.matchQueue(), alerts::matched);
        if (props.matching()) {
            writer.addListener(matcher);
        } else {
            log.warn("Hotlist matching is off (anpr.hotlists.matching=false): no read raises an alert");
        }
        FunctionCounter.builder("anpr_hotlist_match_dropped", matcher, Matcher::dropped)
                .description("committed reads not matched because the matching queue was full").register(meters);
        Gauge.builder("anpr_hotlist_match_waiting", matcher, Matcher::waiting)
                .description("committed reads waiting to be matched").register(meters);
        Gauge.builder("anpr_hotlist_entries", hotlists, h -> h.index().size())
                .description("active hotlist entries in the in-memory index").register(meters);
        return matcher;
    }

    /** Keep-alive comments on the stream, parked hits retried, and hits past their list's retention removed hourly. */
    @Bean(destroyMethod = "close")
    Housekeeping alertHousekeeping(AlertStream stream, HitStore hits, Alerts alerts, AlertProperties props, ClusterLocks locks) {
        return new Housekeeping(stream, hits, alerts, props, locks);
    }

    /** Not an Executor bean: one would make Spring Boot back off from its own task executor. */
    static final class Housekeeping implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anpr-alert-housekeeping");
            t.setDaemon(true);
            return t;
        });

        Housekeeping(AlertStream stream, HitStore hits, Alerts alerts, AlertProperties props, ClusterLocks locks) {
            long every = Math.max(1_000, props.keepAlive().toMillis());
            timer.scheduleWithFixedDelay(stream::keepAlive, every, every, TimeUnit.MILLISECONDS);
            // parked hits are claimed row by row (skip locked): every hub may retry them
            long retry = Math.max(100, props.parkedRetry().toMillis()); // also at start: another run's parked hits
            timer.scheduleWithFixedDelay(() -> {
                try {
                    alerts.retryParked();
                } catch (RuntimeException e) { // keep the schedule; by class only
                    log.warn("Retry of parked hotlist hits failed: {}", e.getClass().getSimpleName());
                }
            }, Math.min(retry, 5_000), retry, TimeUnit.MILLISECONDS);
            // a cluster singleton (shared rows): keep-alives above are this hub's own streams
            timer.scheduleWithFixedDelay(() -> {
                try {
                    locks.runOnce("alert-hit-retention", ClusterLocks.everyPeriod(Duration.ofMinutes(60)), () -> {
                        int n = hits.removeExpired();
                        if (n > 0) {
                            log.info("Hotlist hits past their list's retention removed: {}", n);
                        }
                    });
                } catch (RuntimeException e) {
                    log.warn("Hotlist hit retention failed: {}", e.getClass().getSimpleName());
                }
            }, 5, 60, TimeUnit.MINUTES);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    /** Camera state changes (uk.anprhub.camerahealth) into the stream for ops. */
    @Bean
    CameraEvents cameraEvents(Alerts alerts) {
        return new CameraEvents(alerts);
    }

    static final class CameraEvents {
        private final Alerts alerts;

        CameraEvents(Alerts alerts) {
            this.alerts = alerts;
        }

        @EventListener
        void on(CameraStateChanged change) {
            alerts.cameraChanged(change);
        }
    }
}
