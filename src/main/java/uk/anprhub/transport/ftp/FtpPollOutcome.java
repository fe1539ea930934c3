package uk.anprhub.transport.ftp;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import uk.anprhub.ingest.IngestOutcome;

/**
 * The remote poller's edge ({@code process: ref: anprFtpPollOutcome} in routes/ftp-poll.camel.yaml, after
 * {@code direct:anpr-ingest}): header {@code AnprOutcome} {@code done} (stored), {@code failed} (quarantined: the body
 * becomes the reason file's text) or {@code retry} (not settled: the file stays on the server), and
 * {@code AnprWhy} for the log.
 */
@Component("anprFtpPollOutcome")
public final class FtpPollOutcome implements Processor {

    static final String OUTCOME = "AnprOutcome";
    static final String WHY = "AnprWhy";

    @Override
    public void process(Exchange exchange) {
        IngestOutcome outcome = exchange.getMessage().getBody(IngestOutcome.class);
        if (outcome == null) {
            throw new IllegalStateException("anprFtpPollOutcome belongs after direct:anpr-ingest");
        }
        if (!FtpOutcomes.settled(outcome)) {
            exchange.getMessage().setHeader(OUTCOME, "retry");
            exchange.getMessage().setHeader(WHY, FtpOutcomes.why(outcome));
        } else if (FtpOutcomes.done(outcome)) {
            exchange.getMessage().setHeader(OUTCOME, "done");
        } else {
            IngestOutcome.Problem first = ((IngestOutcome.Quarantined) outcome).first();
            exchange.getMessage().setHeader(OUTCOME, "failed");
            exchange.getMessage().setBody(first.reason().code() + "\n" + first.detail() + "\nquarantine id: "
                    + (first.quarantineId() == null ? "" : first.quarantineId()) + "\n");
        }
    }
}
