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
import java.util.Collections;
import java.util.Enumeration;

/**
 * Guards {@code /ingest/**} before Camel's HTTP binding reads the body: the body is cut after the size limit
 * (plus one byte, so {@link HttpFeed} can tell and answer 413 without buffering an unbounded upload), and a
 * form-urlencoded body is presented as opaque bytes — Camel would otherwise turn form fields into message
 * headers and fail on bodies that are not key=value pairs.
 */
public final class IngestRequestFilter extends OncePerRequestFilter {

    static final String ORIGINAL_CONTENT_TYPE = "anpr.originalContentType";
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
        String type = request.getContentType();
        request.setAttribute(ORIGINAL_CONTENT_TYPE, type);
        boolean form = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        chain.doFilter(new Guarded(request, form, maxBody + 1), response);
    }

    private static final class Guarded extends HttpServletRequestWrapper {
        private final boolean opaque;
        private final long limit;

        Guarded(HttpServletRequest request, boolean opaque, long limit) {
            super(request);
            this.opaque = opaque;
            this.limit = limit;
        }

        @Override
        public String getContentType() {
            return opaque ? OPAQUE : super.getContentType();
        }

        @Override
        public String getHeader(String name) {
            return opaque && "content-type".equalsIgnoreCase(name) ? OPAQUE : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return opaque && "content-type".equalsIgnoreCase(name) ? Collections.enumeration(java.util.List.of(OPAQUE))
                    : super.getHeaders(name);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    if (read >= limit) {
                        return -1;
                    }
                    int b = in.read();
                    if (b >= 0) {
                        read++;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    if (read >= limit) {
                        return -1;
                    }
                    int n = in.read(buf, off, (int) Math.min(len, limit - read));
                    if (n > 0) {
                        read += n;
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return read >= limit || in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
