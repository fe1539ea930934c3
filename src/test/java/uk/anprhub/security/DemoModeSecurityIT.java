package uk.anprhub.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.ingest.OpenFeedWarnings;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Demo mode (the shared test hub runs with {@code anpr.demo=true}): connector ids are open HTTP feeds, and the hub
 * says so at start-up in a WARN line naming every one of them.
 */
class DemoModeSecurityIT extends HubIT {

    @Autowired
    OpenFeedWarnings warnings;

    @Test
    void connectorIdsAreOpenFeedsAndTheStartUpWarningNamesThem() throws Exception {
        assertThat(postJson("/ingest/nas-json", TestReads.read()).statusCode()).isEqualTo(200);

        Logger logger = (Logger) LoggerFactory.getLogger(OpenFeedWarnings.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            warnings.run(null); // what the hub logged at start-up, logged again under observation
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("DEMO MODE").contains("nas-json").contains("bof2-soap")
                    .contains("hikvision-isapi").doesNotContain("keyed-nas");
        });
    }
}
