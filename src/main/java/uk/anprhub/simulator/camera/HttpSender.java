package uk.anprhub.simulator.camera;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/** HTTP POST to an ingest feed; acknowledged = 2xx, which the hub sends only after the commit. */
final class HttpSender implements Sender {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI endpoint;

    HttpSender(HttpClient http, URI endpoint) {
        this.http = http;
        this.endpoint = endpoint;
    }

    static Factory factory(URI endpoint) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        return () -> new HttpSender(http, endpoint);
    }

    @Override
    public Ack send(Message m) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(m.body()));
        if (m.contentType() != null) {
            b.header("Content-Type", m.contentType());
        }
        m.headers().forEach((k, v) -> {
            if (!RESTRICTED.contains(k) && !k.equals("content-type")) {
                b.header(k, v);
            }
        });
        HttpResponse<String> resp;
        try {
            resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        int code = resp.statusCode();
        String status = Integer.toString(code);
        if (code / 100 == 2) {
            JsonNode a = JSON.readTree(resp.body());
            long stored = a.path("stored").asLong(), duplicates = a.path("duplicates").asLong();
            return new Ack(Outcome.ACKNOWLEDGED, status, stored + duplicates, stored, duplicates, 0);
        }
        if (code == 503) {
            long seconds = resp.headers().firstValueAsLong("Retry-After").orElse(1);
            return new Ack(Outcome.PUSHED_BACK, status, 0, 0, 0, seconds * 1000);
        }
        return Ack.refused(status);
    }

    @Override
    public void close() {
        // the client is shared by all senders
    }
}
