package uk.anprhub.ingest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A flood of quarantined input gives one line as it starts and one summary per reason per interval, not a line each. */
class QuarantineLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(IngestService.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private ch.qos.logback.classic.Level level;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // other tests in this JVM may have quietened logging
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(level);
    }

    @Test
    void aThousandRefusalsOfOneReasonAreOneLineAndOneSummary() {
        QuarantineLog log = new QuarantineLog(Duration.ofMillis(300));
        for (int i = 0; i < 1000; i++) {
            log.quarantined(i % 2 == 0 ? "feed-a" : "feed-b", "message", (long) i, "unknown-camera", "no camera X");
        }
        log.quarantined("feed-a", "read #3", 5000L, "invalid-vrm", null);
        assertThat(messages()).hasSize(2);
        assertThat(messages().get(0)).contains("quarantined message (id 0, reason unknown-camera");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            log.flush();
            assertThat(messages()).anySatisfy(m -> assertThat(m)
                    .contains("999 more message(s)/read(s) quarantined as unknown-camera").contains("[feed-a, feed-b]"));
        });
        assertThat(messages()).as("no summary for a reason seen once").hasSize(3);

        log.quarantined("feed-a", "message", 6000L, "unknown-camera", null); // a new interval: logged again at once
        assertThat(messages()).hasSize(4);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
