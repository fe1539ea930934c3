package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.store.ImageStore;
import uk.anprhub.store.RetentionProperties;

import javax.sql.DataSource;

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
    PictureFetchJob pictureFetchJob(PictureFetcher fetcher) {
        return new PictureFetchJob(fetcher);
    }

    /** Every {@code anpr.pictures.interval}: one round of due picture references. */
    static final class PictureFetchJob {
        private final PictureFetcher fetcher;

        PictureFetchJob(PictureFetcher fetcher) {
            this.fetcher = fetcher;
        }

        @Scheduled(initialDelayString = "${anpr.pictures.interval:5s}", fixedDelayString = "${anpr.pictures.interval:5s}")
        void run() {
            try {
                fetcher.runOnce();
            } catch (java.sql.SQLException | RuntimeException e) {
                log.warn("Picture fetch round failed ({}); tried again next round", e.getClass().getSimpleName());
            }
        }
    }
}
