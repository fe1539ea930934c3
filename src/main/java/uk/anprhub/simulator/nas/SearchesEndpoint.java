package uk.anprhub.simulator.nas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code POST /nas/v1/searches}: the modelled NAS search API (docs/access.md, "National search" — an assumption, as
 * the capture API is). A JSON object {@code vrm} (exact, or {@code *}/{@code ?} wildcards with {@code match:
 * "wildcard"}), {@code from}/{@code to} (ISO-8601, to exclusive), the justification {@code reason}, {@code reference},
 * {@code purpose} (all required: NAS audits its own side too), optional {@code requestedBy},
 * {@code supervisorAuthorisation}, {@code maxResults} (default 1,000, at most 10,000). Answered 200
 * {@code {"results":[...], "total":N, "truncated":bool}}, newest first, from the captures this simulator accepted; 400
 * {@code {"error":...}} naming a missing or bad field; 401 without the force's credentials when the simulator was
 * given some ({@code --search-user}).
 */
final class SearchesEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VRM = Pattern.compile("[A-Z0-9*?]{1,20}");

    private final Sightings sightings;
    private final Supplier<String> expectedAuthorization;
    final List<JsonNode> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    SearchesEndpoint(Sightings sightings, Supplier<String> expectedAuthorization) {
        this.sightings = sightings;
        this.expectedAuthorization = expectedAuthorization;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    void handle(HttpExchange x, byte[] bytes) throws IOException {
        String expected = expectedAuthorization.get();
        String given = x.getRequestHeaders().getFirst("Authorization");
        if (expected != null && (given == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8)))) {
            NasSimulator.send(x, 401, NasSimulator.error("the force's search credentials are required"));
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (IOException e) {
            NasSimulator.send(x, 400, NasSimulator.error("body is not JSON"));
            return;
        }
        if (body == null || !body.isObject()) {
            NasSimulator.send(x, 400, NasSimulator.error("body must be a JSON object"));
            return;
        }
        requests.add(body);
        for (String field : new String[]{"vrm", "from", "to", "reason", "reference", "purpose"}) {
            if (body.path(field).asText("").isBlank()) {
                NasSimulator.send(x, 400, NasSimulator.error("missing " + field));
                return;
            }
        }
        String vrm = body.get("vrm").asText();
        boolean wildcard = "wildcard".equals(body.path("match").asText("exact"));
        if (!VRM.matcher(vrm).matches() || (!wildcard && (vrm.contains("*") || vrm.contains("?")))) {
            NasSimulator.send(x, 400, NasSimulator.error("vrm: letters and digits (and * ? with match wildcard)"));
            return;
        }
        Instant from;
        Instant to;
        try {
            from = Instant.parse(body.get("from").asText());
            to = Instant.parse(body.get("to").asText());
        } catch (DateTimeParseException e) {
            NasSimulator.send(x, 400, NasSimulator.error("from/to: ISO-8601 instants"));
            return;
        }
        int max = Math.max(1, Math.min(10_000, body.path("maxResults").asInt(1_000)));
        List<ObjectNode> hits = sightings.find(matcher(vrm, wildcard), from, to);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        hits.stream().limit(max).forEach(results::add);
        out.put("total", hits.size());
        out.put("truncated", hits.size() > max);
        NasSimulator.send(x, 200, JSON.writeValueAsBytes(out));
    }

    private static Predicate<String> matcher(String vrm, boolean wildcard) {
        if (!wildcard) {
            return vrm::equals;
        }
        Pattern p = Pattern.compile(vrm.replace("*", ".*").replace("?", "."));
        return v -> p.matcher(v).matches();
    }
}
