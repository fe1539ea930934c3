package uk.anprhub.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import uk.anprhub.store.ImageStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The NAS wire format as modelled in the contract (the real interface specification is not public): a JSON array of
 * canonical reads POSTed to {@code <url>/captures}, images inlined as base64 {@code data} in {@code plateImage} /
 * {@code overviewImage}; the answer is one {@code {"readId","status","reason"}} per record. ACCEPTED and DUPLICATE
 * both mean "NAS has it". The body is streamed ({@link StreamedBody}): pictures go from their files to the socket as
 * base64, and the request may take longer the bigger it is ({@link HttpClients#timeout}).
 */
final class NasJsonAdapter implements WireAdapter {

    private final HttpClients.Client client;
    private final URI captures;
    private final DeliveryProperties.Http http;
    private final ImageStore images;
    private final ObjectMapper json;

    NasJsonAdapter(HttpClients.Client client, URI baseUrl, DeliveryProperties.Http http, ImageStore images, ObjectMapper json) {
        this.client = client;
        String base = baseUrl.toString();
        this.captures = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/captures");
        this.http = http;
        this.images = images;
        this.json = json;
    }

    @Override
    public SendResult send(List<Claimed> batch) throws InterruptedException {
        StreamedBody body = body(batch);
        Duration timeout = HttpClients.timeout(http, body.length());
        HttpResponse<String> r;
        try (body) {
            HttpRequest.Builder req = HttpRequest.newBuilder(captures).timeout(timeout)
                    .header("Content-Type", "application/json").POST(body.publisher());
            http.headers().forEach(req::header);
            r = client.http().send(req.build(), HttpResponse.BodyHandlers.ofString());
            client.answered();
        } catch (HttpTimeoutException e) {
            return new SendResult.Transient("timeout after " + timeout.toMillis() + " ms", null, true);
        } catch (IOException e) {
            return new SendResult.Transient(client.failure(e), null, true);
        }
        int s = r.statusCode();
        if (s == 200) {
            return results(batch, r.body());
        }
        String why = "HTTP " + s;
        if (s == 401 || s == 403) {
            return new SendResult.AuthFailed(why);
        }
        if (s == 400 || s == 413 || s == 422) {
            return new SendResult.BatchRejected(why, HttpClients.snippet(r.body()));
        }
        return new SendResult.Transient(why, HttpClients.retryAfter(r), false); // 408, 429, 5xx, and 404 etc. (misconfiguration)
    }

    private SendResult results(List<Claimed> batch, String body) {
        Map<String, JsonNode> byId = new HashMap<>();
        try {
            JsonNode answer = json.readTree(body);
            if (answer == null || !answer.isArray()) {
                return new SendResult.Transient("200 without a result array", null, false);
            }
            answer.forEach(n -> byId.put(n.path("readId").asText(), n));
        } catch (IOException e) {
            return new SendResult.Transient("unreadable 200 answer", null, false);
        }
        List<SendResult.RecordResult> out = new ArrayList<>(batch.size());
        for (Claimed c : batch) {
            JsonNode n = byId.get(c.readId().toString());
            String status = n == null ? "" : n.path("status").asText();
            UUID id = c.readId();
            switch (status) {
                case "ACCEPTED", "DUPLICATE" -> out.add(new SendResult.RecordResult(id, SendResult.RecordStatus.DELIVERED, null, null));
                case "REJECTED" -> out.add(new SendResult.RecordResult(id, SendResult.RecordStatus.REJECTED,
                        n.path("reason").asText("rejected"), n.toString()));
                default -> out.add(new SendResult.RecordResult(id, SendResult.RecordStatus.RETRY,
                        n == null ? "no result for the record" : "unknown status " + status, null));
            }
        }
        return new SendResult.PerRecord(out);
    }

    /**
     * The JSON array: a stored read without pictures goes through as stored; a picture's {@code data} is a gap
     * that {@link StreamedBody} fills with the file's base64 while sending. Only this text is held in memory.
     */
    private StreamedBody body(List<Claimed> batch) {
        StreamedBody.Builder body = StreamedBody.builder();
        try (JsonGenerator g = json.getFactory().createGenerator(body)) {
            g.writeStartArray();
            for (Claimed c : batch) {
                if (!c.body().contains("Image\"")) {
                    g.writeRawValue(c.body());
                } else {
                    write(g, body, c, (ObjectNode) json.readTree(c.body()));
                }
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.build();
    }

    private void write(JsonGenerator g, StreamedBody.Builder body, Claimed c, ObjectNode read) throws IOException {
        LocalDate day = c.capturedAt().atOffset(ZoneOffset.UTC).toLocalDate();
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = read.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            g.writeFieldName(f.getKey());
            String kind = switch (f.getKey()) {
                case "plateImage" -> "plate";
                case "overviewImage" -> "overview";
                default -> null;
            };
            long size = kind != null && f.getValue() instanceof ObjectNode ref && ref.hasNonNull("sha256")
                    ? images.size(day, c.readId(), kind) : -1;
            if (size < 0) {
                g.writeTree(f.getValue()); // no picture stored (or none to inline): the reference as it is
                continue;
            }
            g.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> r = f.getValue().fields(); r.hasNext(); ) {
                Map.Entry<String, JsonNode> e = r.next();
                if (!e.getKey().equals("data")) {
                    g.writeFieldName(e.getKey());
                    g.writeTree(e.getValue());
                }
            }
            g.writeFieldName("data");
            g.writeRawValue("\""); // the opening quote; the generator now counts the value as written
            g.flush();
            body.base64(() -> images.open(day, c.readId(), kind), size);
            g.writeRaw('"');
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
