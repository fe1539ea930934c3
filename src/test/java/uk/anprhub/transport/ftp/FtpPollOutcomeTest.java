package uk.anprhub.transport.ftp;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RollbackExchangeException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.message.Reason;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The remote poller's edge without a server: a {@code file:} endpoint stands in for the remote one (the reason file
 * goes through a producer of the endpoint the file came from, whatever its scheme).
 */
class FtpPollOutcomeTest {

    @TempDir
    Path remote;
    DefaultCamelContext camel;
    ProducerTemplate producer;
    FtpPollOutcome settle;

    @BeforeEach
    void camel() {
        camel = new DefaultCamelContext();
        camel.start();
        producer = camel.createProducerTemplate();
        settle = new FtpPollOutcome(producer);
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private Exchange polled(IngestOutcome outcome) {
        Exchange e = new DefaultExchange(camel);
        e.getExchangeExtension().setFromEndpoint(camel.getEndpoint("file:" + remote));
        e.getExchangeExtension().setFromRouteId("ftp-poll");
        e.getMessage().setHeader(Exchange.FILE_NAME, "cam_AB12CDE.jpg");
        e.getMessage().setHeader(Exchange.FILE_PARENT, "Driveway");
        e.getMessage().setBody(outcome);
        return e;
    }

    @Test
    void storedIsDoneAndWritesNothing() throws Exception {
        Exchange e = polled(new IngestOutcome.Stored(1, 1, 0, List.of(UUID.randomUUID()), List.of()));
        settle.process(e);
        assertThat(e.getMessage().getHeader(FtpPollOutcome.OUTCOME)).isEqualTo("done");
        assertThat(e.getException()).isNull();
        assertThat(remote.resolve("failed")).doesNotExist();
        Exchange none = polled(new IngestOutcome.NothingToStore());
        settle.process(none);
        assertThat(none.getMessage().getHeader(FtpPollOutcome.OUTCOME)).isEqualTo("done");
    }

    @Test
    void quarantinedIsFailedWithTheInboxReasonTextBesideIt() throws Exception {
        IngestOutcome.Quarantined q = new IngestOutcome.Quarantined(List.of(
                new IngestOutcome.Problem(null, Reason.UNKNOWN_CAMERA, "no camera with these identities", 42L)), null);
        Exchange e = polled(q);
        settle.process(e);
        assertThat(e.getMessage().getHeader(FtpPollOutcome.OUTCOME)).isEqualTo("failed");
        assertThat(e.getException()).isNull();
        assertThat(e.getMessage().getHeader(Exchange.FILE_NAME)).as("the polled file's name is left alone")
                .isEqualTo("cam_AB12CDE.jpg");
        Path reason = remote.resolve("failed").resolve(LocalDate.now().toString()).resolve("cam_AB12CDE.jpg.reason.txt");
        assertThat(Files.readString(reason)).isEqualTo(FtpOutcomes.reasonText(q))
                .startsWith("unknown-camera\nno camera with these identities\n").contains("quarantine id: 42");
    }

    @Test
    void notSettledWaitsThenRollsBackSoTheFileStays() throws Exception {
        Exchange e = polled(new IngestOutcome.Unavailable("store-unavailable", "the store is behind", 1));
        e.setProperty(FtpPollOutcome.RETRY_DELAY, "300");
        long start = System.nanoTime();
        settle.process(e);
        assertThat((System.nanoTime() - start) / 1_000_000).as("waited retry-delay ms").isGreaterThanOrEqualTo(290);
        assertThat(e.isRollbackOnly()).isTrue();
        assertThat(e.getException()).isInstanceOf(RollbackExchangeException.class);
        assertThat(e.getMessage().getHeader(FtpPollOutcome.OUTCOME)).isEqualTo("retry");
        assertThat(remote.resolve("failed")).doesNotExist();
    }

    @Test
    void theFolderIsTheSettingWhenSetElseTheRemoteDirectory() {
        FtpPollFolder folder = new FtpPollFolder();
        Exchange unset = polled(null);
        unset.setProperty(FtpPollFolder.CONFIGURED, "");
        folder.process(unset);
        assertThat(unset.getMessage().getHeader(FtpPollFolder.FOLDER)).isEqualTo("Driveway");
        Exchange set = polled(null);
        set.setProperty(FtpPollFolder.CONFIGURED, "Gate");
        folder.process(set);
        assertThat(set.getMessage().getHeader(FtpPollFolder.FOLDER)).isEqualTo("Gate");
    }
}
