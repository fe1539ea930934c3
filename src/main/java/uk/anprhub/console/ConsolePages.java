package uk.anprhub.console;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import uk.anprhub.access.OidcProperties;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The hub's own two pages: the login form (posts to Spring Security's form login) and the start page at {@code /}
 * (links to the console, health and metrics, and a logout button). Plain HTML from {@code classpath:console/} with
 * the CSRF token filled in on the server: no script, no external resource, so a strict CSP holds.
 */
@RestController
public class ConsolePages {

    public static final String LOGIN = "/login";
    /** Reachable without an account. */
    public static final String[] PUBLIC = {LOGIN, "/assets/**", "/favicon.ico"};

    private final String login = load("console/login.html");
    private final String start = load("console/index.html");
    /** The identity provider's login link, when one is configured (access.OidcLogin), else nothing. */
    private final String idpLink;

    public ConsolePages(OidcProperties oidc) {
        this.idpLink = oidc.loginEnabled()
                ? "<p class=\"idp\"><a id=\"idp-login\" href=\"/login/oidc\">Log in with the force's identity provider</a></p>" : "";
    }

    @GetMapping(value = LOGIN, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> login(HttpServletRequest request, CsrfToken csrf) {
        String message = request.getParameter("error") != null ? "Wrong account or password, or the account is locked for a while."
                : request.getParameter("logout") != null ? "You are logged out."
                : request.getParameter("expired") != null ? "Your session ended (the hub restarted or you were idle). Log in again."
                : request.getParameter("idp-unavailable") != null ? "The identity provider cannot be reached now. Try again later, or log in with a local account." : "";
        return page(login.replace("{{message}}", message.isEmpty() ? "" : "<p class=\"note\" role=\"status\">" + message + "</p>")
                .replace("{{idp}}", idpLink), csrf);
    }

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> start(CsrfToken csrf, java.security.Principal who) {
        return page(start.replace("{{user}}", HtmlUtils.htmlEscape(who == null ? "" : who.getName())), csrf);
    }

    /**
     * Who is not logged in: a page navigation goes to the login page (with a note when its session has ended, as
     * after a restart); anything else — Hawtio's background requests, scripts — gets {@code fallback} (a 401 without
     * a Basic challenge, so no browser password dialog).
     */
    public static AuthenticationEntryPoint entryPoint(AuthenticationEntryPoint fallback) {
        LoginUrlAuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint(LOGIN);
        LoginUrlAuthenticationEntryPoint expired = new LoginUrlAuthenticationEntryPoint(LOGIN + "?expired");
        return (request, response, e) -> {
            if (!isPageNavigation(request)) {
                fallback.commence(request, response, e);
            } else if (request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid()) {
                expired.commence(request, response, e);
            } else {
                login.commence(request, response, e);
            }
        };
    }

    /** Remembers only page navigations to return to after login (not Hawtio's background or logout requests). */
    public static RequestCache pagesOnly() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setRequestMatcher(r -> "GET".equals(r.getMethod()) && isPageNavigation(r)
                && !r.getRequestURI().startsWith(r.getContextPath() + "/actuator/hawtio/auth/"));
        return cache;
    }

    /** A browser asking for a page to show: Sec-Fetch-Mode navigate, or (older clients) HTML accepted. */
    static boolean isPageNavigation(HttpServletRequest request) {
        String mode = request.getHeader("Sec-Fetch-Mode");
        if (mode != null) {
            return "navigate".equals(mode);
        }
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    private static ResponseEntity<String> page(String html, CsrfToken csrf) {
        String filled = html.replace("{{csrfParameter}}", HtmlUtils.htmlEscape(csrf.getParameterName()))
                .replace("{{csrfToken}}", HtmlUtils.htmlEscape(csrf.getToken()));
        return ResponseEntity.ok().header("Cache-Control", "no-store").contentType(MediaType.TEXT_HTML).body(filled);
    }

    private static String load(String path) {
        try (var in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
