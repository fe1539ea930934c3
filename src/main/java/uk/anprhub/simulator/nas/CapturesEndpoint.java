package uk.anprhub.simulator.nas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code POST /nas/v1/captures}: a JSON array of capture records, answered 200 with one
 * {@code {"readId","status","reason"}} per record in order (ACCEPTED, DUPLICATE once the read id was accepted,
 * REJECTED with a reason); anything but a JSON array is 400, and so is a batch holding a record that matches
 * {@code badBatchVrmPattern}.
 */
final class CapturesEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] REQUIRED = {"readId", "vrm", "captureTimeUtc", "cameraId"};

    private final Ledger ledger;
    private final Supplier<Faults> faults;
    private final java.util.function.Consumer<JsonNode> accepted;

    /** {@code accepted} sees each record the first time it is accepted (the search API's store). */
    CapturesEndpoint(Ledger ledger, Supplier<Faults> faults, java.util.function.Consumer<JsonNode> accepted) {
        this.ledger = ledger;
        this.faults = faults;
        this.accepted = accepted;
    }

    void handle(HttpExchange x, byte[] bytes) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (IOException e) {
            NasSimulator.send(x, 400, NasSimulator.error("body is not JSON"));
            return;
        }
        if (body == null || !body.isArray()) {
            NasSimulator.send(x, 400, NasSimulator.error("body must be a JSON array of capture records"));
            return;
        }
        Faults f = faults.get();
        if (f.badBatchVrmPattern() != null) {
            for (JsonNode r : body) {
                if (f.badBatchVrmPattern().matcher(r.path("vrm").asText()).find()) {
                    NasSimulator.send(x, 400, NasSimulator.error("batch refused: a record fails schema validation"));
                    return;
                }
            }
        }
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode r : body) {
            results.add(result(r, f));
        }
        NasSimulator.send(x, 200, JSON.writeValueAsBytes(results));
    }

    private ObjectNode result(JsonNode r, Faults f) {
        ObjectNode out = JSON.createObjectNode();
        String readId = r.path("readId").asText(null);
        out.put("readId", readId);
        for (String field : REQUIRED) {
            if (!r.hasNonNull(field) || r.get(field).asText().isBlank()) {
                ledger.reject();
                return out.put("status", "REJECTED").put("reason", "missing-" + field);
            }
        }
        if (f.rejectVrmPattern() != null && f.rejectVrmPattern().matcher(r.get("vrm").asText()).find()) {
            ledger.reject();
            return out.put("status", "REJECTED").put("reason", "vrm-rejected: matches " + f.rejectVrmPattern().pattern());
        }
        Ledger.Verdict verdict = ledger.accept(readId);
        if (verdict == Ledger.Verdict.ACCEPTED) {
            accepted.accept(r);
        }
        return out.put("status", verdict.name());
    }
}
