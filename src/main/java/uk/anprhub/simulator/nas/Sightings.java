package uk.anprhub.simulator.nas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The accepted captures the simulated national search looks through: the fields a search answer shows (no
 * images), the newest {@link #capacity} kept, in memory like the rest of the simulator.
 */
final class Sightings {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields a national search answer carries. */
    private static final String[] FIELDS = {"readId", "vrm", "captureTimeUtc", "cameraId", "sourceId", "feedId", "direction",
            "lane", "latitude", "longitude", "countryCode", "confidencePct"};

    record Sighting(String vrm, Instant at, ObjectNode record) {
    }

    private final int capacity;
    private final Deque<Sighting> kept = new ArrayDeque<>();

    Sightings(int capacity) {
        this.capacity = capacity;
    }

    /** Keeps an accepted capture (one with a parseable capture time). */
    void add(JsonNode capture) {
        Instant at;
        try {
            at = Instant.parse(capture.path("captureTimeUtc").asText());
        } catch (DateTimeParseException e) {
            return;
        }
        ObjectNode r = JSON.createObjectNode();
        for (String f : FIELDS) {
            if (capture.hasNonNull(f)) {
                r.set(f, capture.get(f));
            }
        }
        synchronized (kept) {
            kept.addLast(new Sighting(capture.path("vrm").asText(), at, r));
            if (kept.size() > capacity) {
                kept.removeFirst();
            }
        }
    }

    /** The matches in [from, to), newest first. */
    List<ObjectNode> find(Predicate<String> vrm, Instant from, Instant to) {
        List<Sighting> hits = new ArrayList<>();
        synchronized (kept) {
            for (Sighting s : kept) {
                if (!s.at().isBefore(from) && s.at().isBefore(to) && vrm.test(s.vrm())) {
                    hits.add(s);
                }
            }
        }
        hits.sort(Comparator.comparing(Sighting::at).reversed());
        return hits.stream().map(Sighting::record).toList();
    }

    void clear() {
        synchronized (kept) {
            kept.clear();
        }
    }
}
