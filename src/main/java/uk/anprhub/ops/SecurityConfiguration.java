package uk.anprhub.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import uk.anprhub.HubProperties;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may see what. Cameras post to /ingest/** (per-feed authentication arrives with the transports); health
 * and Prometheus are open (no personal data); everything else — Hawtio, Jolokia, the API — needs an operator
 * account with role {@code ops}. Accounts come from configuration with bcrypt hashes; there is no default one.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    public static final String OPS = "ops";

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
            List<String> roles = u.roles() == null || u.roles().isEmpty() ? List.of(OPS) : u.roles();
            users.add(User.withUsername(u.name()).password(u.passwordHash()).roles(roles.toArray(String[]::new)).build());
        }
        if (users.isEmpty()) {
            log.warn("No operator accounts (anpr.users): Hawtio and /api/v1 refuse everyone. See README 'First operator account'.");
        }
        return new InMemoryUserDetailsManager(users);
    }

    /**
     * Camera feeds: no session, no CSRF token, no login (per-feed authentication is the transports' job). A chain
     * of its own keeps the hot path free of the console's cookie and session work.
     */
    @Bean
    @Order(0)
    SecurityFilterChain feeds(HttpSecurity http) throws Exception {
        return http.securityMatcher("/ingest/**", "/bof2/services/**")
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .securityContext(c -> c.disable())
                .anonymous(c -> c.disable())
                .build();
    }

    /** The API: HTTP Basic per request, no session, so no CSRF exposure. */
    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http.securityMatcher("/api/**")
                .authorizeHttpRequests(a -> a.anyRequest().hasRole(OPS))
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                "/actuator/info", "/error").permitAll()
                        .anyRequest().hasRole(OPS))
                .formLogin(Customizer.withDefaults())
                .httpBasic(Customizer.withDefaults())
                // Hawtio reads the XSRF-TOKEN cookie; cameras cannot do CSRF tokens and hold no session.
                .csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(plainToken()))
                .build();
    }

    /** The raw token (not the BREACH-masked one) so a script reading the cookie can echo it; loaded eagerly so the cookie is always set. */
    private static CsrfTokenRequestAttributeHandler plainToken() {
        CsrfTokenRequestAttributeHandler handler = new CsrfTokenRequestAttributeHandler();
        handler.setCsrfRequestAttributeName(null);
        return handler;
    }
}
