package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.store.ImageStore;
import uk.anprhub.store.RetentionProperties;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Referenced pictures of connectors that declare {@code pictures: {fetch: true}}, fetched from their cameras. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PictureFetchProperties.class)
public class PictureFetchConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PictureFetchConfiguration.class);

    @Bean
    PictureFetcher pictureFetcher(DataSource dataSource, ImageStore images, ObjectMapper mapper, ConnectorCatalog catalog,
                                  PictureFetchProperties props, RetentionProperties retention, MeterRegistry meters) {
        PictureFetcher fetcher = new PictureFetcher(dataSource, images, mapper, id -> catalog.find(id).map(Connector::pictures),
                () -> catalog.all().values().stream().filter(c -> c.pictures().fetch()).map(Connector::id).toList(),
                props, retention.days(), meters);
        io.micrometer.core.instrument.Gauge.builder("anpr.pictures.failed", fetcher, PictureFetcher::failedHeld)
                .description("Picture references marked failed after their last attempt, held now").register(meters);
        return fetcher;
    }

    @Bean
    PictureFetchJob pictureFetchJob(PictureFetcher fetcher, PictureFetchProperties props) {
        return new PictureFetchJob(fetcher::runOnce, props.interval());
    }

    /** One round of due picture references; {@link PictureFetcher#runOnce}. */
    @FunctionalInterface
    interface Round {
        int run() throws java.sql.SQLException;
    }

    /**
     * Every {@code anpr.pictures.interval}: one round of due picture references, on a thread of its own. Not
     * {@code @Scheduled}: the hub's scheduler has one thread for every job (retention, catalogue and registry
     * reloads, quarantine), and a round against slow or silent cameras may take batch-size x 2 requests x timeout
     * (20 x 2 x 10 s by default), which would hold all of them back.
     */
    static final class PictureFetchJob implements SmartLifecycle {
        private final Round round;
        private final Duration interval;
        private volatile ScheduledExecutorService thread;

        PictureFetchJob(Round round, Duration interval) {
            this.round = round;
            this.interval = interval;
        }

        @Override
        public synchronized void start() {
            if (thread == null) {
                thread = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "picture-fetch");
                    t.setDaemon(true);
                    return t;
                });
                long ms = Math.max(1, interval.toMillis());
                thread.scheduleWithFixedDelay(this::run, ms, ms, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public synchronized void stop() {
            if (thread != null) {
                thread.shutdownNow(); // interrupts a request in flight: its reference is retried after its lease
                thread = null;
            }
        }

        @Override
        public boolean isRunning() {
            return thread != null;
        }

        void run() {
            try {
                round.run();
            } catch (java.sql.SQLException | RuntimeException e) {
                log.warn("Picture fetch round failed ({}); tried again next round", e.getClass().getSimpleName());
            }
        }
    }
}
