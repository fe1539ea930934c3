package uk.anprhub.national;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** Sends one search to the NAS search API with the force's credentials (docs/access.md, "National search"). */
class NasSearchClient {

    private final HttpClient http;
    private final URI url;
    private final String authorization;
    private final Duration timeout;
    private final ObjectMapper json;

    NasSearchClient(URI url, String user, String password, SSLContext tls, Duration timeout, ObjectMapper json) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(Math.min(10, Math.max(1, timeout.toSeconds()))));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
        this.url = url;
        this.authorization = user == null || user.isBlank() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.json = json;
    }

    URI url() {
        return url;
    }

    /** NAS could not be reached or could not answer now (connection refused, timeout, 5xx, 429): worth trying later. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    /** NAS answered, but refused (the force's credentials, or the request): not worth repeating as it is. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    JsonNode search(Map<String, Object> body) throws Unavailable, Refused, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .header("Accept", "application/json");
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(r.POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new Unavailable("no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new Unavailable("cannot connect (" + e.getClass().getSimpleName() + ")");
        }
        int status = answer.statusCode();
        if (status >= 500 || status == 429 || status == 408) {
            throw new Unavailable("NAS answered HTTP " + status);
        }
        if (status == 401 || status == 403) {
            throw new Refused(status, "NAS refused the force's search credentials (HTTP " + status
                    + "): ops must check anpr.nas.search.user/password or the client certificate");
        }
        JsonNode parsed;
        try {
            parsed = json.readTree(answer.body());
        } catch (IOException e) {
            throw new Refused(status, "NAS answered HTTP " + status + " with a body that is not JSON");
        }
        if (status != 200) {
            String why = parsed != null && parsed.hasNonNull("error") ? parsed.get("error").asText() : "no reason given";
            throw new Refused(status, "NAS refused the search (HTTP " + status + "): " + why);
        }
        if (parsed == null || !parsed.path("results").isArray()) {
            throw new Refused(status, "NAS answered without a results list");
        }
        return parsed;
    }
}
