package uk.anprhub.transport.ftp;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * The folder a polled file is filed under ({@code AnprFolder}, {@code $meta.folder}: it identifies the camera to
 * filename and folder connectors), step {@code <name>-folder} of routes/anpr-ftp-poll.camel.yaml: the poller's
 * {@code folder} setting (exchange property {@code AnprPollFolder}) when it is set, else the file's remote parent
 * directory.
 */
@Component("anprFtpPollFolder")
public final class FtpPollFolder implements Processor {

    static final String FOLDER = "AnprFolder";
    /** Exchange property set by the template from {@code anpr.<name>.folder}; empty = not set. */
    static final String CONFIGURED = "AnprPollFolder";

    @Override
    public void process(Exchange exchange) {
        String configured = exchange.getProperty(CONFIGURED, String.class);
        exchange.getMessage().setHeader(FOLDER, configured == null || configured.isBlank()
                ? exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class) : configured);
    }
}
