package uk.anprhub.access;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.resource.OAuth2ResourceServerConfigurer;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.client.RestTemplate;
import uk.anprhub.audit.AuditLog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bearer JWTs from the force's identity provider on the API ({@link OidcProperties}): present only when an issuer or
 * key set is configured. {@code ops.SecurityConfiguration} applies the customizer to its API chain; Basic and the /ui/
 * page's session keep working beside it. A refused token is audited as a failed login ({@code login.failed},
 * {@code kind: bearer}, the account the token claims and why it was refused) and answered 401 with the RFC 6750
 * challenge.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OidcProperties.class)
class OidcConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OidcConfiguration.class);

    /** True when anpr.oidc.issuer-uri or anpr.oidc.jwk-set-uri is set. */
    static final class Enabled implements org.springframework.context.annotation.Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var env = context.getEnvironment();
            return OidcProperties.has(env.getProperty("anpr.oidc.issuer-uri")) || OidcProperties.has(env.getProperty("anpr.oidc.jwk-set-uri"));
        }
    }

    @Bean
    @Conditional(Enabled.class)
    JwtDecoder jwtDecoder(OidcProperties props) {
        log.info("API: bearer JWTs accepted (issuer {}, keys {}, audience {}, roles from claim '{}')",
                props.issuerUri(), props.jwkSetUri() == null ? "from discovery" : props.jwkSetUri(),
                props.audience() == null ? "not checked" : props.audience(), props.rolesClaim());
        // the provider is asked on first use, not at start: a hub whose IdP is down still starts and takes Basic
        return new SupplierJwtDecoder(() -> decoder(props));
    }

    static NimbusJwtDecoder decoder(OidcProperties props) {
        SimpleClientHttpRequestFactory http = new SimpleClientHttpRequestFactory();
        http.setConnectTimeout(5_000);
        http.setReadTimeout(10_000);
        RestTemplate rest = new RestTemplate(http);
        var builder = OidcProperties.has(props.jwkSetUri())
                ? NimbusJwtDecoder.withJwkSetUri(props.jwkSetUri()) : NimbusJwtDecoder.withIssuerLocation(props.issuerUri());
        NimbusJwtDecoder decoder = builder.restOperations(rest)
                .jwsAlgorithms(a -> props.algorithms().forEach(name -> a.add(SignatureAlgorithm.from(name)))).build();
        List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
        checks.add(new JwtTimestampValidator(props.clockSkew()));
        if (OidcProperties.has(props.issuerUri())) {
            checks.add(new JwtIssuerValidator(props.issuerUri()));
        }
        if (OidcProperties.has(props.audience())) {
            checks.add(new JwtClaimValidator<Object>("aud", aud -> aud instanceof Collection<?> c
                    ? c.contains(props.audience()) : props.audience().equals(aud)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(checks));
        return decoder;
    }

    /** What SecurityConfiguration's API chain applies when a provider is configured. */
    @Bean
    @Conditional(Enabled.class)
    Customizer<OAuth2ResourceServerConfigurer<HttpSecurity>> bearerTokens(JwtDecoder decoder, OidcProperties props, AuditLog audit) {
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        provider.setJwtAuthenticationConverter(new JwtRoles(props, List.of(Roles.ALL)));
        ProviderManager manager = new ProviderManager(provider);
        AuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
        AuthenticationEntryPoint failures = (request, response, e) -> {
            String token = request.getHeader("Authorization");
            String claimed = claimedUser(token, props.userClaim());
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("kind", "bearer");
            detail.put("source", request.getRemoteAddr());
            detail.put("error", AuditLog.printable(e.getMessage(), 200));
            log.warn("Refused bearer token (claims account '{}') from {}: {}", claimed, request.getRemoteAddr(),
                    AuditLog.printable(e.getMessage(), 200));
            audit.record(claimed, "login.failed", detail);
            challenge.commence(request, response, e);
        };
        return o -> o.jwt(j -> j.authenticationManager(manager)).authenticationEntryPoint(failures);
    }

    /** The account a refused token claims to be (unverified: for the audit trail only), or "(bearer)". */
    static String claimedUser(String header, String userClaim) {
        try {
            JWTClaimsSet claims = JWTParser.parse(header.substring("Bearer ".length()).strip()).getJWTClaimsSet();
            String name = claims.getStringClaim(userClaim);
            String who = name == null || name.isBlank() ? claims.getSubject() : name;
            return who == null || who.isBlank() ? "(bearer)" : AuditLog.printable(who, 64);
        } catch (java.text.ParseException | RuntimeException e) {
            return "(bearer)";
        }
    }
}
