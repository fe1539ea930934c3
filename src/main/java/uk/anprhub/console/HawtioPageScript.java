package uk.anprhub.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Adds the hub's {@code /assets/session-ended.js} to Hawtio's page (its index.html, served for every console path):
 * when the session is gone the open console goes to the login page on the first 401 instead of staying put. Only
 * HTML answers are touched; Hawtio's scripts, Jolokia and JSON pass through unbuffered.
 */
final class HawtioPageScript extends OncePerRequestFilter {

    static final String TAG = "<script src=\"/assets/session-ended.js\"></script>";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!"GET".equals(request.getMethod()) || !path.startsWith("/actuator/hawtio") || path.contains("/jolokia")
                || path.contains("/static/")) {
            return true;
        }
        int slash = path.lastIndexOf('/');
        return path.indexOf('.', slash) >= 0 && !path.endsWith(".html"); // a file (js, json, css, ico ...), not a page
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper page = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, page);
        } finally {
            String type = page.getContentType();
            byte[] body = page.getContentAsByteArray();
            if (type != null && type.startsWith("text/html") && page.getStatus() == 200) {
                String html = new String(body, StandardCharsets.UTF_8);
                int head = html.indexOf("</head>");
                if (head >= 0 && !html.contains(TAG)) {
                    page.resetBuffer();
                    byte[] with = (html.substring(0, head) + TAG + html.substring(head)).getBytes(StandardCharsets.UTF_8);
                    page.getOutputStream().write(with);
                }
            }
            page.copyBodyToResponse();
        }
    }
}
