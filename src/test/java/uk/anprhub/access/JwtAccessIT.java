package uk.anprhub.access;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer JWTs from the force's identity provider on the API, against a real key set served over HTTP and tokens
 * signed here: the right role gets in, another role or no hub role is 403, an expired, forged or wrong-audience
 * token is 401 and audited like a failed login (once), and Basic keeps working beside it.
 */
class JwtAccessIT extends AccessHub {

    private static final Instant IN_AN_HOUR = Instant.now().plus(Duration.ofHours(1));

    private HttpResponse<String> bearer(String token, String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET());
    }

    @Test
    void theRightRoleFromTheConfiguredClaimGetsInUnderTheTokensAccountName() throws Exception {
        String auditor = token(IDP_KEY, "alice.auditor", realmRoles("auditor", "offline_access"), IN_AN_HOUR);
        long before = lastAuditId();
        HttpResponse<String> r = bearer(auditor, "/api/v1/audit");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select actor from audit_log where action = 'audit.read' and id > ?", String.class, before))
                .isEqualTo("alice.auditor");
        HttpResponse<String> me = bearer(auditor, "/api/v1/me");
        assertThat(json(me).get("roles").toString()).isEqualTo("[\"auditor\"]"); // offline_access is not a hub role
        assertThat(json(me).get("name").asText()).isEqualTo("alice.auditor");
    }

    @Test
    void anotherRoleIsForbidden() throws Exception {
        String investigator = token(IDP_KEY, "bob", realmRoles("investigator"), IN_AN_HOUR);
        assertThat(bearer(investigator, "/api/v1/audit").statusCode()).isEqualTo(403);
        assertThat(bearer(investigator, "/api/v1/delivery/status").statusCode()).isEqualTo(403);
        assertThat(bearer(investigator, "/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutAHubRoleReachesNothing() throws Exception {
        String none = token(IDP_KEY, "carol", realmRoles("offline_access", "uma_authorization", "Auditors-Group"), IN_AN_HOUR);
        assertThat(bearer(none, "/api/v1/me").statusCode()).isEqualTo(403);
        assertThat(bearer(none, "/api/v1/audit").statusCode()).isEqualTo(403);
        // roles in another claim than the configured one do not count either
        String elsewhere = token(IDP_KEY, "dave", Map.of("roles", List.of("auditor")), IN_AN_HOUR);
        assertThat(bearer(elsewhere, "/api/v1/audit").statusCode()).isEqualTo(403);
    }

    @Test
    void expiredForgedAndWrongAudienceTokensAre401AndEachIsAuditedOnceAsAFailedLogin() throws Exception {
        Map<String, String> tokens = Map.of(
                "expired", token(IDP_KEY, "eve-expired", realmRoles("auditor"), Instant.now().minus(Duration.ofMinutes(10))),
                "forged", token(FORGED_KEY, "eve-forged", realmRoles("auditor"), IN_AN_HOUR),
                "audience", token(IDP_KEY, "eve-audience", Map.of("aud", "another-app", "realm_access", Map.of("roles", List.of("auditor"))), IN_AN_HOUR),
                "garbage", "not.a.jwt");
        for (var t : tokens.entrySet()) {
            long before = lastAuditId();
            HttpResponse<String> r = bearer(t.getValue(), "/api/v1/audit");
            assertThat(r.statusCode()).as(t.getKey()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).as(t.getKey()).startsWith("Bearer").doesNotContain("Basic");
            List<Map<String, Object>> rows = jdbc.queryForList("select actor, source, detail->>'kind' as kind, detail->>'error' as error"
                    + " from audit_log where action = 'login.failed' and id > ?", before);
            assertThat(rows).as(t.getKey()).hasSize(1);
            assertThat(rows.get(0).get("kind")).isEqualTo("bearer");
            assertThat(rows.get(0).get("source")).isEqualTo("127.0.0.1");
            assertThat(rows.get(0).get("actor")).isEqualTo(t.getKey().equals("garbage") ? "(bearer)" : "eve-" + t.getKey());
        }
        assertThat(jdbc.queryForObject("select detail->>'error' from audit_log where action = 'login.failed' and actor = 'eve-expired'"
                + " order by id desc limit 1", String.class)).contains("expired");
    }

    @Test
    void basicAccountsWorkBesideBearerTokens() throws Exception {
        assertThat(send(as("auditor", "/api/v1/audit").GET()).statusCode()).isEqualTo(200);
        assertThat(send(as("investigator", "/api/v1/audit").GET()).statusCode()).isEqualTo(403);
    }
}
