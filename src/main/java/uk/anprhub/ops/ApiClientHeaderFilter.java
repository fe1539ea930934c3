package uk.anprhub.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Set;

/**
 * CSRF guard of the API: a state-changing request must carry {@value #HEADER} (any value). A cross-origin HTML form
 * cannot set a header, and a cross-origin script cannot without a CORS preflight, which the hub never grants.
 */
class ApiClientHeaderFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Anpr-Client";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = request.getHeader(HEADER);
        if (SAFE.contains(request.getMethod()) || (client != null && !client.isBlank())) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(403);
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"client-header-required\",\"detail\":\"state-changing API requests need the header "
                + HEADER + "\"}");
    }
}
