package uk.anprhub.ingest;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

import java.io.IOException;

/**
 * After a camera request was refused with its body unread (401/403/404/408/503), closes the connection once the
 * answer is out instead of letting Tomcat drain the rest of the body to keep the connection alive — a blocking read
 * that a sender trickling bytes could stretch for as long as it likes.
 */
final class UnreadBodyValve extends ValveBase {

    UnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (request.getAttribute(IngestRequestFilter.CLOSE) != null) {
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }
}
