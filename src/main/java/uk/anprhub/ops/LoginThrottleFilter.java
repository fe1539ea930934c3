package uk.anprhub.ops;

import uk.anprhub.access.LoginThrottle;
import uk.anprhub.audit.AuditLog;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** Refuses (429 + Retry-After) a request that presents credentials for a locked account or from a locked address, before they are checked. */
class LoginThrottleFilter extends OncePerRequestFilter {

    private final LoginThrottle throttle;

    LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String account = presentedAccount(request);
        Optional<Duration> wait = account == null ? Optional.empty() : throttle.locked(account, request.getRemoteAddr());
        if (wait.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, wait.get().toSeconds() + 1);
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(seconds));
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"too-many-failed-logins\",\"retryAfterSeconds\":" + seconds + "}");
    }

    /** The account name of HTTP Basic credentials or of a form login, or null when the request presents none. */
    static String presentedAccount(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return AuditLog.printable(colon < 0 ? pair : pair.substring(0, colon), 64);
            } catch (IllegalArgumentException e) {
                return null; // not Base64: Spring Security refuses it
            }
        }
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())) {
            String name = request.getParameter("username");
            return name == null ? null : AuditLog.printable(name, 64);
        }
        return null;
    }
}
