package uk.anprhub.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import uk.anprhub.store.ImageStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The NAS wire format as modelled in the contract (the real interface specification is not public): a JSON array of
 * canonical reads POSTed to {@code <url>/captures}, images inlined as base64 {@code data} in {@code plateImage} /
 * {@code overviewImage}; the answer is one {@code {"readId","status","reason"}} per record. ACCEPTED and DUPLICATE
 * both mean "NAS has it".
 */
final class NasJsonAdapter implements WireAdapter {

    private final HttpClients.Client client;
    private final URI captures;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final ImageStore images;
    private final ObjectMapper json;

    NasJsonAdapter(HttpClients.Client client, URI baseUrl, DeliveryProperties.Http http, ImageStore images, ObjectMapper json) {
        this.client = client;
        String base = baseUrl.toString();
        this.captures = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/captures");
        this.timeout = http.requestTimeout();
        this.headers = http.headers();
        this.images = images;
        this.json = json;
    }

    @Override
    public Outcome send(List<Claimed> batch) throws InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(captures).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body(batch)));
        headers.forEach(req::header);
        HttpResponse<String> r;
        try {
            r = client.http().send(req.build(), HttpResponse.BodyHandlers.ofString());
            client.answered();
        } catch (HttpTimeoutException e) {
            return new Outcome.Transient("timeout after " + timeout.toMillis() + " ms", null, true);
        } catch (IOException e) {
            return new Outcome.Transient(client.failure(e), null, true);
        }
        int s = r.statusCode();
        if (s == 200) {
            return results(batch, r.body());
        }
        String why = "HTTP " + s;
        if (s == 401 || s == 403) {
            return new Outcome.AuthFailed(why);
        }
        if (s == 400 || s == 413 || s == 422) {
            return new Outcome.BatchRejected(why, HttpClients.snippet(r.body()));
        }
        return new Outcome.Transient(why, HttpClients.retryAfter(r), false); // 408, 429, 5xx, and 404 etc. (misconfiguration)
    }

    private Outcome results(List<Claimed> batch, String body) {
        Map<String, JsonNode> byId = new HashMap<>();
        try {
            JsonNode answer = json.readTree(body);
            if (answer == null || !answer.isArray()) {
                return new Outcome.Transient("200 without a result array", null, false);
            }
            answer.forEach(n -> byId.put(n.path("readId").asText(), n));
        } catch (IOException e) {
            return new Outcome.Transient("unreadable 200 answer", null, false);
        }
        List<Outcome.RecordResult> out = new ArrayList<>(batch.size());
        for (Claimed c : batch) {
            JsonNode n = byId.get(c.readId().toString());
            String status = n == null ? "" : n.path("status").asText();
            UUID id = c.readId();
            switch (status) {
                case "ACCEPTED", "DUPLICATE" -> out.add(new Outcome.RecordResult(id, Outcome.Verdict.DELIVERED, null, null));
                case "REJECTED" -> out.add(new Outcome.RecordResult(id, Outcome.Verdict.REJECTED,
                        n.path("reason").asText("rejected"), n.toString()));
                default -> out.add(new Outcome.RecordResult(id, Outcome.Verdict.RETRY,
                        n == null ? "no result for the record" : "unknown status " + status, null));
            }
        }
        return new Outcome.Results(out);
    }

    /** Streams the stored JSON through unchanged unless images must be inlined. */
    private byte[] body(List<Claimed> batch) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(batch.size() * 600);
        try (JsonGenerator g = json.getFactory().createGenerator(buf)) {
            g.writeStartArray();
            for (Claimed c : batch) {
                if (!c.body().contains("Image\"")) {
                    g.writeRawValue(c.body());
                    continue;
                }
                ObjectNode read = (ObjectNode) json.readTree(c.body());
                inline(read, c, "plateImage", "plate");
                inline(read, c, "overviewImage", "overview");
                g.writeTree(read);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private void inline(ObjectNode read, Claimed c, String field, String kind) {
        if (read.get(field) instanceof ObjectNode ref && ref.hasNonNull("sha256")) {
            byte[] bytes = images.get(c.capturedAt().atOffset(ZoneOffset.UTC).toLocalDate(), c.readId(), kind);
            if (bytes != null) {
                ref.put("data", Base64.getEncoder().encodeToString(bytes));
            }
        }
    }
}
