package uk.anprhub.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Cookie;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.client.OAuth2LoginConfigurer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import uk.anprhub.audit.AuditLog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The /ui/ page's login through the force's identity provider (OIDC authorization code flow), present when
 * {@code anpr.oidc.issuer-uri} and {@code anpr.oidc.client-id} are set. The session's roles come from the ID token's
 * roles claim, read exactly as for bearer tokens ({@link JwtRoles}); an account with no hub role is refused at login.
 * Failed logins are audited ({@code login.failed}, {@code kind: oidc}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OidcLogin.Enabled.class)
class OidcLogin {

    /** The registration id: the callback is {@code /login/oauth2/code/force}. */
    static final String REGISTRATION = "force";
    /** The login page's link: checks the provider can be reached before sending the browser there. */
    static final String START = "/login/oidc";

    private static final Logger log = LoggerFactory.getLogger(OidcLogin.class);

    static final class Enabled implements org.springframework.context.annotation.Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var env = context.getEnvironment();
            return OidcProperties.has(env.getProperty("anpr.oidc.issuer-uri"))
                    && OidcProperties.has(env.getProperty("anpr.oidc.client-id"));
        }
    }

    /**
     * The provider sends the browser back to the hub from its own site: a SameSite=Strict session cookie would not
     * come with that redirect (nor with the hops after it), so the login could never complete. Lax still keeps the
     * cookie off cross-site posts, and every state-changing request needs its CSRF token besides.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> laxSessionCookie() {
        return new LaxSessionCookie();
    }

    private static final class LaxSessionCookie implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.getSession().getCookie().setSameSite(Cookie.SameSite.LAX);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE; // after server.servlet.session.cookie.same-site has been applied
        }
    }

    @Bean
    ClientRegistrationRepository clientRegistrations(OidcProperties props) {
        return new DiscoveredRegistration(props);
    }

    /** What SecurityConfiguration's page chain applies. */
    @Bean
    Customizer<OAuth2LoginConfigurer<HttpSecurity>> providerLogin(ClientRegistrationRepository registrations,
                                                               OidcProperties props, AuditLog audit) {
        OidcUserService ids = new OidcUserService();
        ids.setRetrieveUserInfo(request -> false); // the ID token carries what the hub needs; one call fewer to the IdP
        JwtRoles roles = new JwtRoles(props, List.of(Roles.ALL));
        OAuth2UserService<OidcUserRequest, OidcUser> users = request -> withHubRoles(ids.loadUser(request), roles, props, audit);
        return login -> login.clientRegistrationRepository(registrations)
                .loginPage("/login")
                .userInfoEndpoint(u -> u.oidcUserService(users))
                .failureHandler((request, response, e) -> {
                    boolean audited = e instanceof OAuth2AuthenticationException o && "no_hub_role".equals(o.getError().getErrorCode());
                    if (!audited) {
                        Map<String, Object> detail = new LinkedHashMap<>();
                        detail.put("kind", "oidc");
                        detail.put("source", request.getRemoteAddr());
                        detail.put("error", AuditLog.printable(e.getMessage(), 200));
                        audit.record("(oidc)", "login.failed", detail);
                        log.warn("Refused an identity provider login from {}: {}", request.getRemoteAddr(),
                                AuditLog.printable(e.getMessage(), 200));
                    }
                    response.sendRedirect(request.getContextPath() + "/login?error");
                });
    }

    /** The provider's account with the hub roles of its ID token; none of them: refused (and audited). */
    private static OidcUser withHubRoles(OidcUser user, JwtRoles roles, OidcProperties props, AuditLog audit) {
        Set<String> hub = roles.roles(user.getIdToken().getClaims());
        String nameClaim = user.getIdToken().hasClaim(props.userClaim()) ? props.userClaim() : "sub";
        String name = AuditLog.printable(String.valueOf(user.getIdToken().getClaims().get(nameClaim)), 64);
        if (hub.isEmpty()) {
            audit.record(name, "login.failed", Map.of("kind", "oidc", "error", "no hub role in the ID token"));
            throw new OAuth2AuthenticationException(new OAuth2Error("no_hub_role"), "no hub role in the ID token");
        }
        List<GrantedAuthority> authorities = hub.stream()
                .map(r -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + r)).toList();
        return new DefaultOidcUser(authorities, user.getIdToken(), nameClaim);
    }

    /**
     * The provider's endpoints from its discovery document, fetched on first use and kept: a hub whose provider is
     * down still starts (operators log in with local accounts), and tries discovery again on the next login.
     */
    static final class DiscoveredRegistration implements ClientRegistrationRepository {
        private final OidcProperties props;
        private volatile ClientRegistration registration;

        DiscoveredRegistration(OidcProperties props) {
            this.props = props;
        }

        @Override
        public ClientRegistration findByRegistrationId(String id) {
            return REGISTRATION.equals(id) ? resolve() : null;
        }

        /** The registration, or null while the provider cannot be reached. */
        ClientRegistration resolve() {
            ClientRegistration r = registration;
            if (r == null) {
                try {
                    r = ClientRegistrations.fromIssuerLocation(props.issuerUri()).registrationId(REGISTRATION)
                            .clientId(props.clientId()).clientSecret(props.clientSecret())
                            .scope(props.scopes()).userNameAttributeName(props.userClaim()).build();
                    registration = r;
                } catch (RuntimeException e) {
                    log.warn("Identity provider {} cannot be reached for login: {}", props.issuerUri(),
                            AuditLog.printable(e.getMessage(), 200));
                }
            }
            return r;
        }
    }
}
