package uk.anprhub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The hub for the console tests (own context: the Cameras MBean lives in the JVM's one MBean server, so these tests
 * need the context that registered it last). Shared by {@link ConsoleIT} and {@link ConsoleBrowserIT}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        "anpr.demo=true", // posts to /ingest/nas-json (a connector id as a feed): demo mode
        "anpr.users[0].name=ops", "anpr.users[0].roles[0]=ops",
        // bcrypt of "ops-test-password" (tests only)
        "anpr.users[0].password-hash=$2a$10$FhMoC9iYb0BoUGazdFOR7eBB2ba1UQoQqYg/4mzU2ZtyjTn1WbLWS",
        "anpr.nas.url=http://127.0.0.1:9/nas/v1"}) // nothing listens: reads stay pending, nothing leaves the machine
abstract class ConsoleHub {

    static final String USER = "ops";
    static final String PASSWORD = "ops-test-password";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path DATA;

    static {
        try {
            DATA = Files.createTempDirectory("anpr-console-it");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        registry.add("anpr.data-dir", DATA::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** A browser's session after the login form: its cookies (session, CSRF token). */
    record Session(Map<String, String> cookies) {
        String header() {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) -> c.append(c.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            return c.toString();
        }

        String xsrf() {
            return cookies.get("XSRF-TOKEN");
        }
    }

    Session login() throws Exception {
        Map<String, String> cookies = new HashMap<>();
        HttpResponse<String> page = get("/login");
        collect(page, cookies);
        String token = hidden(page.body(), "_csrf");
        String form = "username=" + USER + "&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", new Session(cookies).header()).POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 302 || r.headers().firstValue("Location").orElse("").contains("error")) {
            throw new AssertionError("login failed: " + r.statusCode() + " " + r.headers().map());
        }
        collect(r, cookies);
        collect(HTTP.send(HttpRequest.newBuilder(uri("/")).header("Cookie", new Session(cookies).header()).build(),
                HttpResponse.BodyHandlers.ofString()), cookies); // the token rotates at login
        return new Session(cookies);
    }

    HttpResponse<String> jolokia(Session s, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/actuator/hawtio/jolokia")).header("Cookie", s.header())
                .header("X-XSRF-TOKEN", s.xsrf()).header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of a hidden form field. */
    static String hidden(String html, String name) {
        int at = html.indexOf("name=\"" + name + "\"");
        if (at < 0) {
            throw new AssertionError("no field " + name + " in " + html);
        }
        int v = html.indexOf("value=\"", at) + "value=\"".length();
        return html.substring(v, html.indexOf('"', v));
    }

    static void collect(HttpResponse<?> r, Map<String, String> cookies) {
        for (String v : r.headers().allValues("Set-Cookie")) {
            String pair = v.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                if (pair.substring(eq + 1).isEmpty()) {
                    cookies.remove(pair.substring(0, eq));
                } else {
                    cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
    }
}
