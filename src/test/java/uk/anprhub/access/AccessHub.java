package uk.anprhub.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import uk.anprhub.simulator.nas.NasSimulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

/**
 * One running hub for the access tests (own context, own data directory): its delivery target and the national search
 * go to a NAS simulator that demands the force's search credentials, and bearer JWTs are checked against a key set
 * this class serves over a real socket (JDK HttpServer) and signs with an RSA key made here. Accounts: one per role,
 * password {@value #PASSWORD}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        "anpr.demo=true", // posts to /ingest/nas-json (a connector id as a feed): demo mode
        "anpr.delivery.targets.nas.linger=50ms",
        "anpr.oidc.audience=anpr-hub",
        "anpr.oidc.roles-claim=realm_access.roles", // Keycloak's place for realm roles
        "anpr.nas.search.user=force-01",
        "anpr.nas.search.password=force-search-secret",
        "anpr.nas.search.timeout=5s",
        // bcrypt of "ops-test-password" (tests only), one account per role
        "anpr.users[0].name=ops", "anpr.users[0].roles[0]=ops",
        "anpr.users[0].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[1].name=auditor", "anpr.users[1].roles[0]=auditor",
        "anpr.users[1].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[2].name=investigator", "anpr.users[2].roles[0]=investigator",
        "anpr.users[2].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[3].name=supervisor", "anpr.users[3].roles[0]=supervisor",
        "anpr.users[3].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[4].name=investigator2", "anpr.users[4].roles[0]=investigator",
        "anpr.users[4].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.users[5].name=no-roles",
        "anpr.users[5].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS"})
public abstract class AccessHub {

    protected static final String PASSWORD = "ops-test-password";
    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    protected static final NasSimulator NAS;
    /** The identity provider's signing key (its public half is served as the JWKS). */
    protected static final RSAKey IDP_KEY;
    /** A key the provider never published, with the same key id: a forger's. */
    protected static final RSAKey FORGED_KEY;
    private static final HttpServer JWKS;
    protected static final Path DATA;

    static {
        try {
            DATA = Files.createTempDirectory("anpr-access-it");
            NAS = NasSimulator.start(0);
            NAS.searchCredentials("force-01", "force-search-secret");
            IDP_KEY = new RSAKeyGenerator(2048).keyID("idp-1").generate();
            FORGED_KEY = new RSAKeyGenerator(2048).keyID("idp-1").generate();
            byte[] keys = new JWKSet(IDP_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            JWKS = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
            JWKS.createContext("/realms/force/protocol/openid-connect/certs", x -> {
                x.getResponseHeaders().set("Content-Type", "application/json");
                x.sendResponseHeaders(200, keys.length);
                x.getResponseBody().write(keys);
                x.close();
            });
            JWKS.start();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        registry.add("anpr.data-dir", DATA::toString);
        registry.add("anpr.nas.url", NAS::nasUrl); // delivery; the search URL is derived from it (+ /searches)
        registry.add("anpr.oidc.jwk-set-uri", () -> "http://127.0.0.1:" + JWKS.getAddress().getPort()
                + "/realms/force/protocol/openid-connect/certs");
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcTemplate jdbc;

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    protected static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** A request as {@code user} (HTTP Basic) with the client header. */
    protected HttpRequest.Builder as(String user, String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", basic(user)).header("X-Anpr-Client", "test")
                .timeout(Duration.ofSeconds(60));
    }

    protected HttpResponse<String> send(HttpRequest.Builder r) throws IOException, InterruptedException {
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> postJson(String user, String path, Object body) throws IOException, InterruptedException {
        return send(as(user, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    protected static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** A JWT as the force's provider would issue it (Keycloak's layout), signed with {@code key}. */
    protected static String token(RSAKey key, String user, Map<String, Object> claims, Instant expires) throws Exception {
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().subject("sub-" + user).claim("preferred_username", user)
                .issuer("https://idp.force.example/realms/force").audience("anpr-hub")
                .issueTime(Date.from(expires.minus(Duration.ofMinutes(10)))).expirationTime(Date.from(expires));
        claims.forEach(c::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                c.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** The realm roles claim of Keycloak: {@code realm_access.roles}. */
    protected static Map<String, Object> realmRoles(String... roles) {
        return Map.of("realm_access", Map.of("roles", java.util.List.of(roles)));
    }

    protected long lastAuditId() {
        return jdbc.queryForObject("select coalesce(max(id), 0) from audit_log", Long.class);
    }
}
