package uk.anprhub.access;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A verified token's account and roles: the roles from the configured claim, only those that are the hub's own
 * ({@code Roles.ALL}) become {@code ROLE_x}; anything else the provider sends (its own groups,
 * scopes) is ignored, so a token without a hub role reaches nothing.
 */
public final class JwtRoles implements Converter<Jwt, AbstractAuthenticationToken> {

    private final List<String> path;
    private final String prefix;
    private final String userClaim;
    private final Set<String> known;

    public JwtRoles(OidcProperties props, Collection<String> knownRoles) {
        this.path = List.of(props.rolesClaim().split("\\."));
        this.prefix = props.rolePrefix().toLowerCase(Locale.ROOT);
        this.userClaim = props.userClaim();
        this.known = Set.copyOf(knownRoles);
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        List<GrantedAuthority> authorities = roles(jwt.getClaims()).stream()
                .map(r -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + r)).toList();
        String name = jwt.getClaimAsString(userClaim);
        return new JwtAuthenticationToken(jwt, authorities, name == null || name.isBlank() ? jwt.getSubject() : name);
    }

    /** The hub roles named at the claim path, in the token's order. */
    public Set<String> roles(Map<String, Object> claims) {
        Object v = claims;
        for (String step : path) {
            v = v instanceof Map<?, ?> m ? m.get(step) : null;
        }
        List<String> values = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.forEach(x -> values.add(String.valueOf(x)));
        } else if (v instanceof String s) {
            values.addAll(List.of(s.split("[\\s,]+")));
        }
        Set<String> out = new LinkedHashSet<>();
        for (String value : values) {
            String r = value.strip().toLowerCase(Locale.ROOT);
            if (!prefix.isEmpty()) {
                if (!r.startsWith(prefix)) {
                    continue;
                }
                r = r.substring(prefix.length());
            }
            if (known.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }
}
