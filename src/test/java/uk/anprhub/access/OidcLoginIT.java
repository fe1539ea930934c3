package uk.anprhub.access;

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
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The /ui/ page's login through the force's identity provider, in a headless browser (HtmlUnit): the provider is a
 * real OIDC authorization server on a socket (discovery, authorize, token, JWKS; JDK HttpServer), signing ID tokens
 * with a key made here. The hub discovers it on first use, so it starts while the provider is down.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        "anpr.demo=true",
        "anpr.oidc.client-id=anpr-hub",
        "anpr.oidc.client-secret=hub-client-secret",
        "anpr.oidc.audience=anpr-hub",
        "anpr.oidc.roles-claim=realm_access.roles"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OidcLoginIT {

    private static final String REALM = "/realms/force";
    private static final RSAKey KEY;
    /** Same key id, never published: what a forger (or a man in the middle) would sign with. */
    private static final RSAKey FORGED;
    private static final HttpServer IDP;
    private static final Path DATA;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Map<String, Object>> CODES = new ConcurrentHashMap<>();

    /** Who the provider logs in next, with which realm roles, signed with which key; discovery up or down. */
    private static volatile String nextUser = "alice";
    private static volatile List<String> nextRoles = List.of("investigator");
    private static volatile RSAKey nextKey;
    private static volatile boolean discoveryDown;

    static {
        try {
            DATA = Files.createTempDirectory("anpr-oidc-it");
            KEY = new RSAKeyGenerator(2048).keyID("idp-1").generate();
            FORGED = new RSAKeyGenerator(2048).keyID("idp-1").generate();
            nextKey = KEY;
            IDP = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
            IDP.createContext(REALM + "/.well-known/openid-configuration", OidcLoginIT::discovery);
            IDP.createContext(REALM + "/protocol/openid-connect/auth", OidcLoginIT::authorize);
            IDP.createContext(REALM + "/protocol/openid-connect/token", OidcLoginIT::token);
            IDP.createContext(REALM + "/protocol/openid-connect/certs", x -> answer(x, 200, new JWKSet(KEY.toPublicJWK()).toString()));
            IDP.start();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static String issuer() {
        return "http://127.0.0.1:" + IDP.getAddress().getPort() + REALM;
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        registry.add("anpr.data-dir", DATA::toString);
        registry.add("anpr.oidc.issuer-uri", OidcLoginIT::issuer);
    }

    @AfterAll
    static void stop() {
        IDP.stop(0);
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    @Order(1)
    void whileTheProviderIsDownTheLinkReturnsToTheLoginPageWithANoteNotAnErrorPage() throws Exception {
        discoveryDown = true;
        try (WebClient web = browser()) {
            HtmlPage login = web.getPage(hub("/ui/"));
            HtmlPage back = ((HtmlAnchor) login.getElementById("idp-login")).click();
            assertThat(back.getUrl().getPath()).isEqualTo("/login");
            assertThat(back.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(back.asNormalizedText()).contains("identity provider cannot be reached");
        } finally {
            discoveryDown = false;
        }
    }

    @Test
    @Order(2)
    void anInvestigatorLogsInAtTheProviderAndComesBackToTheUiPageWithTheRolesOfTheIdToken() throws Exception {
        nextUser = "alice";
        nextRoles = List.of("investigator", "offline_access");
        try (WebClient web = browser()) {
            HtmlPage login = web.getPage(hub("/ui/"));
            assertThat(login.getUrl().getPath()).isEqualTo("/login");
            HtmlPage ui = ((HtmlAnchor) login.getElementById("idp-login")).click();
            assertThat(ui.getUrl().getPath()).isEqualTo("/ui/");
            await("the page knows who is logged in").atMost(Duration.ofSeconds(30))
                    .until(() -> ui.getElementById("who").getTextContent().equals("alice"));
            assertThat(ui.getElementById("search").hasAttribute("hidden")).isFalse();
            assertThat(ui.getElementById("audit").hasAttribute("hidden")).isTrue();

            WebResponse me = api(web, "/api/v1/me");
            assertThat(me.getStatusCode()).isEqualTo(200);
            assertThat(JSON.readTree(me.getContentAsString()).get("roles").toString())
                    .isEqualTo("[\"investigator\"]"); // the provider's own roles are not the hub's
            // the session is the investigator's only: the ops console is not theirs
            assertThat(api(web, "/api/v1/delivery").getStatusCode()).isEqualTo(403);
        }
    }

    @Test
    @Order(3)
    void anAccountWithoutAHubRoleIsRefusedAtLoginAndAudited() throws Exception {
        nextUser = "mallory";
        nextRoles = List.of("offline_access", "uma_authorization");
        try (WebClient web = browser()) {
            HtmlPage login = web.getPage(hub("/ui/"));
            HtmlPage back = ((HtmlAnchor) login.getElementById("idp-login")).click();
            assertThat(back.getUrl().toString()).endsWith("/login?error");
            assertThat(api(web, "/api/v1/me").getStatusCode()).isEqualTo(401);
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_log where actor = 'mallory' and action = 'login.failed'"
                + " and detail->>'kind' = 'oidc'", Long.class)).isEqualTo(1);
    }

    @Test
    @Order(4)
    void anIdTokenSignedWithAKeyTheProviderNeverPublishedIsRefusedAndAudited() throws Exception {
        nextUser = "alice";
        nextRoles = List.of("ops", "investigator");
        nextKey = FORGED;
        long before = jdbc.queryForObject("select coalesce(max(id), 0) from audit_log", Long.class);
        try (WebClient web = browser()) {
            HtmlPage login = web.getPage(hub("/ui/"));
            HtmlPage back = ((HtmlAnchor) login.getElementById("idp-login")).click();
            assertThat(back.getUrl().toString()).endsWith("/login?error");
            assertThat(api(web, "/api/v1/me").getStatusCode()).isEqualTo(401);
        } finally {
            nextKey = KEY;
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_log where id > ? and actor = '(oidc)'"
                + " and action = 'login.failed'", Long.class, before)).isEqualTo(1);
    }

    private WebClient browser() {
        WebClient web = new WebClient(BrowserVersion.FIREFOX);
        web.getOptions().setFetchPolyfillEnabled(true);
        web.getOptions().setThrowExceptionOnScriptError(true);
        web.getOptions().setThrowExceptionOnFailingStatusCode(false);
        web.getOptions().setCssEnabled(false);
        return web;
    }

    /** As the page's own scripts call the API: JSON, with the browser's session cookie. */
    private WebResponse api(WebClient web, String path) throws IOException {
        WebRequest request = new WebRequest(new java.net.URL(hub(path)));
        request.setAdditionalHeader("Accept", "application/json");
        return web.loadWebResponse(request);
    }

    private String hub(String path) {
        return "http://localhost:" + port + path;
    }

    // --- the provider ---

    private static void discovery(HttpExchange x) throws IOException {
        if (discoveryDown) {
            answer(x, 503, "{}");
            return;
        }
        String base = issuer() + "/protocol/openid-connect";
        answer(x, 200, JSON.writeValueAsString(Map.of(
                "issuer", issuer(),
                "authorization_endpoint", base + "/auth",
                "token_endpoint", base + "/token",
                "jwks_uri", base + "/certs",
                "response_types_supported", List.of("code"),
                "subject_types_supported", List.of("public"),
                "id_token_signing_alg_values_supported", List.of("RS256"),
                "token_endpoint_auth_methods_supported", List.of("client_secret_basic"))));
    }

    /** Logs in {@link #nextUser} at once (no form) and sends the browser back with a one-time code. */
    private static void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = form(x.getRequestURI().getRawQuery());
        if (!"anpr-hub".equals(q.get("client_id")) || !"code".equals(q.get("response_type"))) {
            answer(x, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        Map<String, Object> grant = new HashMap<>();
        grant.put("user", nextUser);
        grant.put("roles", nextRoles);
        grant.put("key", nextKey);
        grant.put("nonce", q.get("nonce"));
        grant.put("redirect", q.get("redirect_uri"));
        CODES.put(code, grant);
        x.getResponseHeaders().set("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                + java.net.URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    /** The code for an ID token, only to the hub's client with its secret, once. */
    @SuppressWarnings("unchecked")
    private static void token(HttpExchange x) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString("anpr-hub:hub-client-secret".getBytes(StandardCharsets.UTF_8));
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, Object> grant = CODES.remove(String.valueOf(f.get("code")));
        if (!expected.equals(x.getRequestHeaders().getFirst("Authorization")) || grant == null
                || !grant.get("redirect").equals(f.get("redirect_uri"))) {
            answer(x, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        try {
            Instant now = Instant.now();
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).audience("anpr-hub")
                    .subject("sub-" + grant.get("user")).claim("preferred_username", grant.get("user"))
                    .claim("realm_access", Map.of("roles", grant.get("roles")))
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
            if (grant.get("nonce") != null) {
                claims.claim("nonce", grant.get("nonce"));
            }
            SignedJWT id = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("idp-1").type(JOSEObjectType.JWT).build(),
                    claims.build());
            id.sign(new RSASSASigner((RSAKey) grant.get("key")));
            answer(x, 200, JSON.writeValueAsString(Map.of("access_token", "opaque-" + UUID.randomUUID(),
                    "token_type", "Bearer", "expires_in", 300, "scope", "openid profile", "id_token", id.serialize())));
        } catch (Exception e) {
            answer(x, 500, "{\"error\":\"server_error\"}");
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }
}
