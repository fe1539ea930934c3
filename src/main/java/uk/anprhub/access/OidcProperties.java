package uk.anprhub.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * The force's identity provider ({@code anpr.oidc.*}, docs/access.md): with {@code issuer-uri} or {@code jwk-set-uri}
 * set, the API also takes {@code Authorization: Bearer <JWT>} signed by that provider.
 *
 * @param issuerUri  the provider's issuer; its discovery document names the key set (unless {@code jwk-set-uri} is
 *                   set) and tokens must carry it as {@code iss}
 * @param jwkSetUri  the provider's public keys (JWKS); tokens are checked against them without discovery
 * @param audience   when set, tokens must name it in {@code aud} (the hub's client id / application id URI)
 * @param rolesClaim where the roles are: a claim name or a dotted path ({@code realm_access.roles}); a list of
 *                   strings or one space- or comma-separated string
 * @param rolePrefix stripped from each value before it is matched ({@code anpr-} turns {@code anpr-auditor} into
 *                   {@code auditor}); only the hub's own role names become roles, case-insensitively
 * @param userClaim  the account name in the audit log; {@code sub} when the token lacks it
 * @param algorithms the signature algorithms accepted
 * @param clockSkew  leeway on {@code exp} and {@code nbf}
 * @param clientId   the hub's client id at the provider: with it (and {@code issuer-uri}) the login page offers
 *                   "log in with the force's identity provider" (OIDC authorization code flow); the ID token's roles
 *                   claim gives the session its roles
 * @param clientSecret the client's secret (confidential client, sent as HTTP Basic to the token endpoint)
 * @param scopes     asked for at login
 */
@ConfigurationProperties("anpr.oidc")
public record OidcProperties(String issuerUri, String jwkSetUri, String audience,
                             @DefaultValue("roles") String rolesClaim, @DefaultValue("") String rolePrefix,
                             @DefaultValue("preferred_username") String userClaim,
                             @DefaultValue("RS256") List<String> algorithms,
                             @DefaultValue("60s") Duration clockSkew,
                             String clientId, String clientSecret,
                             @DefaultValue({"openid", "profile"}) List<String> scopes) {

    public boolean enabled() {
        return has(issuerUri) || has(jwkSetUri);
    }

    /** The login page offers the provider's login: an issuer to discover and a client id at it. */
    public boolean loginEnabled() {
        return has(issuerUri) && has(clientId);
    }

    static boolean has(String s) {
        return s != null && !s.isBlank();
    }
}
