package uk.anprhub.ops;

import uk.anprhub.access.Roles;

import uk.anprhub.access.LoginThrottle;
import uk.anprhub.audit.AuditLog;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.service.api.Restrictor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.HeaderWriter;
import uk.anprhub.core.HubProperties;
import uk.anprhub.console.ConsolePages;
import uk.anprhub.ingest.FeedPaths;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may see what. Cameras post to /ingest/** (per-feed authentication is the feeds' job); health and Prometheus
 * are open (no personal data; health details for ops only); Hawtio, Jolokia and the operations API need role
 * {@code ops}, search and national search {@code investigator}, the audit log {@code auditor}, hotlists
 * {@code hotlist-manager} (see {@link #apiRoles}). Accounts come from configuration with bcrypt hashes; there is no default
 * one, and an account without roles reaches nothing. No answer carries a Basic challenge (browsers would cache the
 * credentials and replay them cross-site); failed logins are throttled and audited; every answer but Hawtio's own
 * page has {@code nosniff} and a strict Content-Security-Policy.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LoginProperties.class, JolokiaPolicyProperties.class})
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    /** For answers that are data, never a page: nothing may load, frame or run. */
    static final String STRICT_CSP = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** The hub's own pages (login, start page): their stylesheet and logo, no script. */
    static final String LOGIN_CSP = STRICT_CSP + "; style-src 'self'; img-src 'self'";
    /** The /ui/ page: its own script, stylesheet and images, calls to the hub's API and nothing else (no inline script). */
    static final String UI_CSP = LOGIN_CSP + "; script-src 'self'; connect-src 'self'";

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    UserDetailsService users(HubProperties props) {
        List<UserDetails> users = new ArrayList<>();
        for (HubProperties.User u : props.users()) {
            if (u.name() == null || u.passwordHash() == null || !u.passwordHash().startsWith("$2")) {
                throw new IllegalStateException("anpr.users: user '" + u.name() + "' needs a bcrypt passwordHash "
                        + "(make one with: bin/anpr-hub hash-password)");
            }
            List<String> roles = u.roles() == null ? List.of() : u.roles();
            if (roles.isEmpty()) {
                log.warn("anpr.users: account '{}' has no roles and reaches nothing (give it roles: [ops] to operate the hub)", u.name());
            }
            users.add(User.withUsername(u.name()).password(u.passwordHash()).roles(roles.toArray(String[]::new)).build());
        }
        if (users.isEmpty()) {
            log.warn("No operator accounts (anpr.users): Hawtio and /api/v1 refuse everyone. See README 'First operator account'.");
        }
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    LoginThrottle loginThrottle(LoginProperties props) {
        return new LoginThrottle(props.maxFailures(), props.maxFailuresPerAddress(), props.window(), props.lock(), Clock.systemUTC());
    }

    /** Jolokia's own restrictor (its servlet takes every Restrictor bean): the allow list and CORS policy. */
    @Bean
    Restrictor jolokiaPolicy(JolokiaPolicyProperties props) throws IOException {
        Restrictor policy = RestrictorFactory.lookupPolicyRestrictor(props.policyLocation());
        if (policy == null) {
            throw new IllegalStateException("anpr.jolokia.policy-location: no policy at " + props.policyLocation());
        }
        return policy;
    }

    /**
     * Camera feeds: no session, no CSRF token, no login (per-feed authentication is the feeds' job). A chain
     * of its own keeps the hot path free of the console's cookie and session work.
     */
    @Bean
    @Order(0)
    SecurityFilterChain feeds(HttpSecurity http) throws Exception {
        return http.securityMatcher(FeedPaths.securityPatterns())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .securityContext(c -> c.disable())
                .anonymous(c -> c.disable())
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(STRICT_CSP)))
                .build();
    }

    /**
     * The API: HTTP Basic per request (or a bearer JWT when an identity provider is configured), no session, no Basic
     * challenge (so browsers never hold the credentials), and
     * state-changing requests need the {@code X-Anpr-Client} header (CSRF).
     */
    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, LoginThrottle throttle,
                            org.springframework.beans.factory.ObjectProvider<org.springframework.security.config.Customizer<
                                    org.springframework.security.config.annotation.web.configurers.oauth2.server.resource
                                            .OAuth2ResourceServerConfigurer<HttpSecurity>>> bearerTokens) throws Exception {
        // bearer JWTs of the force's identity provider, when anpr.oidc.* names one (uk.anprhub.access.OidcConfiguration)
        var bearer = bearerTokens.getIfAvailable();
        if (bearer != null) {
            http.oauth2ResourceServer(bearer);
        }
        return http.securityMatcher("/api/**")
                .authorizeHttpRequests(SecurityConfiguration::apiRoles)
                .httpBasic(b -> b.authenticationEntryPoint(noChallenge()))
                .exceptionHandling(e -> e.authenticationEntryPoint(noChallenge()))
                // scripts: Basic per request, nothing kept; the /ui/ page: the session of its form login is read
                // (never created here), and its state-changing calls carry the client header like any script's
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .securityContext(c -> c.securityContextRepository(new HttpSessionSecurityContextRepository()))
                .csrf(c -> c.disable())
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(STRICT_CSP)))
                .addFilterBefore(new LoginThrottleFilter(throttle), BasicAuthenticationFilter.class)
                .addFilterAfter(new ApiClientHeaderFilter(), AuthorizationFilter.class)
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http, LoginThrottle throttle, Restrictor jolokiaPolicy, AuditLog audit,
                            ObjectMapper json, org.springframework.beans.factory.ObjectProvider<org.springframework.security.config.Customizer<
                                    org.springframework.security.config.annotation.web.configurers.oauth2.client
                                            .OAuth2LoginConfigurer<HttpSecurity>>> oidcLogin) throws Exception {
        // login through the force's identity provider, when anpr.oidc.client-id names the hub there (access.OidcLogin)
        var idp = oidcLogin.getIfAvailable();
        if (idp != null) {
            http.oauth2Login(idp);
        }
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                "/actuator/info", "/error").permitAll()
                        .requestMatchers(ConsolePages.PUBLIC).permitAll()   // the login page and its stylesheet
                        .requestMatchers("/login/oidc").permitAll()         // its link to the identity provider
                        .requestMatchers("/").authenticated()               // the start page: links, no data
                        .requestMatchers("/ui", "/ui/**").hasAnyRole(Roles.ALL) // the page shows each role its own parts
                        .anyRequest().hasRole(Roles.OPS))
                .formLogin(f -> f.loginPage(ConsolePages.LOGIN).permitAll())
                .httpBasic(b -> b.authenticationEntryPoint(noChallenge()))
                // pages go to the login page; Hawtio's background requests get a bare 401, on which Hawtio itself
                // navigates to a page (before: a redirect its JSON parser choked on, and the console stayed put)
                .exceptionHandling(e -> e.authenticationEntryPoint(ConsolePages.entryPoint(noChallenge())))
                .requestCache(c -> c.requestCache(ConsolePages.pagesOnly()))
                // Hawtio reads the XSRF-TOKEN cookie. A request with an Authorization header is a script's (the hub never
                // sends a Basic challenge, so a browser never adds one by itself): no token needed.
                .csrf(c -> c.csrfTokenRepository(csrfCookie())
                        .csrfTokenRequestHandler(plainToken())
                        .ignoringRequestMatchers(r -> r.getHeader("Authorization") != null))
                .headers(h -> h.addHeaderWriter(csp()))
                .addFilterBefore(new LoginThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new JolokiaGuard(jolokiaPolicy, audit, json), AuthorizationFilter.class)
                .build();
    }

    /**
     * Least privilege per API path: each feature's role, and {@code ops} for the rest (delivery, quarantine,
     * cameras). Roles do not imply each other.
     */
    static void apiRoles(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry a) {
        a.requestMatchers("/api/v1/national/authorisations", "/api/v1/national/authorisations/**").hasRole(Roles.SUPERVISOR)
                .requestMatchers("/api/v1/reads/**", "/api/v1/national/**").hasRole(Roles.INVESTIGATOR)
                .requestMatchers("/api/v1/audit", "/api/v1/audit/**").hasRole(Roles.AUDITOR)
                .requestMatchers("/api/v1/hotlists", "/api/v1/hotlists/**").hasRole(Roles.HOTLIST_MANAGER)
                // every role may listen and acknowledge; the stream filters hits by the lists the caller may see
                .requestMatchers("/api/v1/alerts", "/api/v1/alerts/**", "/api/v1/me").hasAnyRole(Roles.ALL)
                .anyRequest().hasRole(Roles.OPS);
    }

    /** 401 without {@code WWW-Authenticate: Basic}: a browser shows no password dialog and caches nothing. */
    private static HttpStatusEntryPoint noChallenge() {
        return new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
    }

    /** Strict CSP on every answer but Hawtio's own pages, which send a policy of their own. */
    private static HeaderWriter csp() {
        return (request, response) -> {
            if (!isHawtioPage(request)) {
                response.setHeader("Content-Security-Policy",
                        isUiPage(request) ? UI_CSP : isLoginPage(request) ? LOGIN_CSP : STRICT_CSP);
            }
        };
    }

    private static boolean isHawtioPage(HttpServletRequest r) {
        return path(r).startsWith("/actuator/hawtio") && !JolokiaGuard.isJolokia(r);
    }

    private static boolean isUiPage(HttpServletRequest r) {
        String p = path(r);
        return p.equals("/ui") || p.startsWith("/ui/");
    }

    private static boolean isLoginPage(HttpServletRequest r) {
        String p = path(r);
        return p.equals("/login") || p.equals("/logout") || p.equals("/");
    }

    private static String path(HttpServletRequest r) {
        return r.getRequestURI().substring(r.getContextPath().length());
    }

    private static CookieCsrfTokenRepository csrfCookie() {
        CookieCsrfTokenRepository repo = CookieCsrfTokenRepository.withHttpOnlyFalse();
        repo.setCookieCustomizer(c -> c.sameSite("Strict"));
        return repo;
    }

    /** The raw token (not the BREACH-masked one) so a script reading the cookie can echo it; loaded eagerly so the cookie is always set. */
    private static CsrfTokenRequestAttributeHandler plainToken() {
        CsrfTokenRequestAttributeHandler handler = new CsrfTokenRequestAttributeHandler();
        handler.setCsrfRequestAttributeName(null);
        return handler;
    }
}
