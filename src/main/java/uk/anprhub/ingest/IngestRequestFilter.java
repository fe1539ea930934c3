package uk.anprhub.ingest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Reads the body of a camera feed request itself, before Camel's HTTP binding sees it: at most the size limit
 * plus one byte (so {@link HttpFeed} can answer 413 without buffering an unbounded upload), as raw bytes whatever
 * the content type. Camel then gets an empty opaque request — its binding would otherwise turn form fields into
 * message headers and read multipart bodies through a character reader, which fails on JPEG parts.
 */
public final class IngestRequestFilter extends OncePerRequestFilter {

    static final String ORIGINAL_CONTENT_TYPE = "anpr.originalContentType";
    static final String BODY = "anpr.body";
    static final String DECLARED_LENGTH = "anpr.declaredLength";
    private static final String OPAQUE = "application/octet-stream";

    private final long maxBody;

    public IngestRequestFilter(long maxBody) {
        this.maxBody = maxBody;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/ingest/") && !request.getRequestURI().startsWith("/bof2/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(ORIGINAL_CONTENT_TYPE, request.getContentType());
        long declared = request.getContentLengthLong();
        request.setAttribute(DECLARED_LENGTH, declared);
        byte[] body;
        if (declared > maxBody) {
            body = new byte[0]; // refused unread; Tomcat swallows or drops the rest
        } else {
            try (InputStream in = request.getInputStream()) {
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            }
        }
        request.setAttribute(BODY, body);
        chain.doFilter(new Emptied(request), response);
    }

    /** The request as Camel sees it: no body, an opaque type. */
    private static final class Emptied extends HttpServletRequestWrapper {
        Emptied(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return OPAQUE;
        }

        @Override
        public int getContentLength() {
            return 0;
        }

        @Override
        public long getContentLengthLong() {
            return 0;
        }

        @Override
        public String getHeader(String name) {
            if ("content-type".equalsIgnoreCase(name)) {
                return OPAQUE;
            }
            return "content-length".equalsIgnoreCase(name) ? "0" : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String h = getHeader(name);
            return "content-type".equalsIgnoreCase(name) || "content-length".equalsIgnoreCase(name)
                    ? Collections.enumeration(List.of(h)) : super.getHeaders(name);
        }

        @Override
        public ServletInputStream getInputStream() {
            return new ServletInputStream() {
                @Override
                public int read() {
                    return -1;
                }

                @Override
                public boolean isFinished() {
                    return true;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    // nothing to read
                }
            };
        }
    }
}
