package uk.anprhub.security;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 14, web side: with {@code server.ssl.bundle} the web port (ingest, API, console, actuator) speaks
 * HTTPS only — ingest and the console login work over it, the session cookie is {@code Secure}, and a camera or
 * browser speaking plain HTTP to that port gets nothing stored and no session.
 */
class HttpsSecurityIT extends TlsHub {

    static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void ingestWorksOverHttps() throws Exception {
        String json = reads(3);
        HttpResponse<String> r = ingest(HTTPS, https("/ingest/tls-feed"), json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(stored(json)).isEqualTo(3);
    }

    @Test
    void plainHttpToTheHttpsPortStoresNothing() throws Exception {
        String json = reads(3);
        URI plain = URI.create("http://localhost:" + port + "/ingest/tls-feed");
        Optional<Integer> status = statusOrRefused(() -> ingest(PLAIN, plain, json));
        // Tomcat answers a plain request on a TLS port with 400 "requires TLS", or the connection just ends
        status.ifPresent(s -> assertThat(s).isEqualTo(400));
        assertThat(stored(json)).isZero();
        assertThat(statusOrRefused(() -> PLAIN.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .build(), HttpResponse.BodyHandlers.ofString()))).isNotEqualTo(Optional.of(200));
    }

    @Test
    void consoleLoginWorksOverHttpsAndTheSessionCookieIsSecure() throws Exception {
        // the login page sets the CSRF cookie the form must echo
        HttpResponse<String> page = HTTPS.send(HttpRequest.newBuilder(https("/login")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        String xsrf = cookie(page, "XSRF-TOKEN").orElseThrow();
        String form = "username=ops&password=" + URLEncoder.encode("ops-test-password", StandardCharsets.UTF_8) + "&_csrf=" + xsrf;
        HttpResponse<String> login = HTTPS.send(HttpRequest.newBuilder(https("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "XSRF-TOKEN=" + xsrf + cookieHeader(page, "JSESSIONID"))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");
        String session = setCookie(login, "JSESSIONID").orElseThrow(() -> new AssertionError("no session cookie: " + login.headers()));
        assertThat(attributes(session)).contains("secure", "httponly");

        String id = cookie(login, "JSESSIONID").orElseThrow();
        HttpResponse<String> metrics = HTTPS.send(HttpRequest.newBuilder(https("/actuator/metrics"))
                .header("Cookie", "JSESSIONID=" + id).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).as("the session logs in over HTTPS").isEqualTo(200);
    }

    private long stored(String json) {
        Matcher m = Pattern.compile("\"vrm\":\"([^\"]+)\"").matcher(json);
        long n = 0;
        while (m.find()) {
            n += jdbc.queryForObject("select count(*) from nas_read where vrm in (?, ?)", Long.class, m.group(1),
                    m.group(1).replace(" ", "")); // stored normalised
        }
        return n;
    }

    interface Call {
        HttpResponse<?> send() throws IOException, InterruptedException;
    }

    /** The HTTP status, or empty when the connection ended without an answer. */
    private static Optional<Integer> statusOrRefused(Call call) throws InterruptedException {
        try {
            return Optional.of(call.send().statusCode());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> setCookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst();
    }

    private static Optional<String> cookie(HttpResponse<?> r, String name) {
        return setCookie(r, name).map(c -> c.substring(name.length() + 1).split(";", 2)[0]);
    }

    private static String cookieHeader(HttpResponse<?> r, String name) {
        return cookie(r, name).map(v -> "; " + name + "=" + v).orElse("");
    }

    private static List<String> attributes(String setCookie) {
        return java.util.Arrays.stream(setCookie.split(";")).skip(1).map(a -> a.trim().toLowerCase(java.util.Locale.ROOT)).toList();
    }
}
