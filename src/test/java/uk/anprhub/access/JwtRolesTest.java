package uk.anprhub.access;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which claim values become hub roles: only the hub's own, from the configured path, optionally prefixed. */
class JwtRolesTest {

    private static final List<String> HUB = List.of("ops", "investigator", "supervisor", "auditor", "hotlist-manager");

    private static JwtRoles roles(String claim, String prefix) {
        return new JwtRoles(new OidcProperties(null, "http://x", null, claim, prefix, "preferred_username", List.of("RS256"),
                Duration.ofSeconds(60), null, null, List.of("openid")), HUB);
    }

    @Test
    void aDottedPathReachesNestedClaimsAndUnknownValuesAreDropped() {
        assertThat(roles("realm_access.roles", "").roles(Map.of("realm_access", Map.of("roles",
                List.of("offline_access", "Investigator", "admin", "supervisor")))))
                .containsExactly("investigator", "supervisor");
        assertThat(roles("realm_access.roles", "").roles(Map.of("realm_access", "not-an-object"))).isEmpty();
        assertThat(roles("roles", "").roles(Map.of())).isEmpty();
    }

    @Test
    void aSpaceOrCommaSeparatedStringAndAPrefixAsAzureAppRolesOrGroupsUseThem() {
        assertThat(roles("scp", "").roles(Map.of("scp", "auditor openid, ops"))).containsExactly("auditor", "ops");
        assertThat(roles("roles", "anpr.").roles(Map.of("roles", List.of("ANPR.Auditor", "auditor", "Anpr.Hotlist-Manager"))))
                .containsExactly("auditor", "hotlist-manager"); // without the prefix, 'auditor' is someone else's role
    }
}
