package uk.anprhub.transport.ftp;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RollbackExchangeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import uk.anprhub.ingest.IngestOutcome;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * Settles a file of a remote poller (the template routes/anpr-ftp-poll.camel.yaml, step {@code <name>-settle}, right
 * after {@code direct:anpr-ingest}), with the FTP inbox's outcome mapping ({@link FtpOutcomes}). The consumer moves the
 * file only after the exchange completed, to {@code ${header.AnprOutcome}/<day>/<name>}:
 * <ul>
 * <li>reads committed: {@code AnprOutcome=done};</li>
 * <li>quarantined: {@code AnprOutcome=failed}, and the reason file {@code failed/<day>/<name>.reason.txt} is written
 * on the same server (through the poller's own endpoint: same login, same directory) before the move;</li>
 * <li>not settled (store unavailable, unknown feed): a WARN line, a wait of {@code AnprPollRetryDelay} ms on the
 * consumer's single thread (the back-off: nothing else is fetched meanwhile), then a rollback. The exchange fails,
 * so the file stays where it is and is fetched again at a later poll; the endpoint sets no {@code moveFailed}.</li>
 * </ul>
 */
@Component("anprFtpPollOutcome")
public final class FtpPollOutcome implements Processor {

    static final String OUTCOME = "AnprOutcome";
    /** Exchange property set by the template: milliseconds to wait before a file the store did not take is rolled back. */
    static final String RETRY_DELAY = "AnprPollRetryDelay";

    private static final Logger log = LoggerFactory.getLogger(FtpPollOutcome.class);

    private final ProducerTemplate producer;

    public FtpPollOutcome(ProducerTemplate producer) {
        this.producer = producer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IngestOutcome outcome = exchange.getMessage().getBody(IngestOutcome.class);
        if (outcome == null) {
            throw new IllegalStateException("anprFtpPollOutcome belongs after direct:anpr-ingest");
        }
        if (!FtpOutcomes.settled(outcome)) {
            retryLater(exchange, outcome);
        } else if (FtpOutcomes.done(outcome)) {
            exchange.getMessage().setHeader(OUTCOME, "done");
        } else {
            writeReasonFile(exchange, FtpOutcomes.reasonText((IngestOutcome.Quarantined) outcome));
            exchange.getMessage().setHeader(OUTCOME, "failed");
        }
    }

    private void retryLater(Exchange exchange, IngestOutcome outcome) throws InterruptedException {
        long delay = exchange.getProperty(RETRY_DELAY, 0L, Long.class);
        // the reason code and detail only: file names carry plates
        log.warn("{}: the store did not take a file ({}); it stays on the server and is retried after {} ms",
                exchange.getFromRouteId(), FtpOutcomes.why(outcome), delay);
        exchange.getMessage().setHeader(OUTCOME, "retry");
        try {
            Thread.sleep(delay);
        } finally {
            // what the rollback EIP does: the exchange fails, so the consumer leaves the file in place
            exchange.setRollbackOnly(true);
            exchange.setException(new RollbackExchangeException("store unavailable: the file stays on the remote server", exchange));
        }
    }

    /**
     * Beside the file's place in failed/ ("failed/<day>/<name>", the day as the endpoint's move option writes it: the
     * JVM's zone), through a producer of the endpoint the file came from. A failure fails the exchange: the file stays
     * and is taken again at a later poll.
     */
    private void writeReasonFile(Exchange exchange, String reason) throws Exception {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        String path = "failed/" + LocalDate.now() + "/" + name + ".reason.txt";
        Exchange written = producer.send(exchange.getFromEndpoint(), e -> {
            e.getMessage().setHeader(Exchange.FILE_NAME, path);
            e.getMessage().setBody(reason.getBytes(StandardCharsets.UTF_8));
        });
        if (written.getException() != null) {
            throw written.getException();
        }
    }
}
