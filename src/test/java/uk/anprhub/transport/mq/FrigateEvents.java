package uk.anprhub.transport.mq;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * Fresh Frigate {@code frigate/events} messages built from the connector's samples (connectors/frigate-mqtt):
 * current times, a new tracked-object id and the given plate, on a camera of src/test/resources/cameras/demo-frigate.yaml.
 */
public final class FrigateEvents {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_COMMENTS);
    private static final Path SAMPLES = Path.of("connectors", "frigate-mqtt", "samples");
    private final ObjectNode end;
    private final ObjectNode update;

    public FrigateEvents() {
        try {
            end = (ObjectNode) JSON.readTree(SAMPLES.resolve("001-end-car-variant.jsonc").toFile());
            update = (ObjectNode) JSON.readTree(SAMPLES.resolve("002-update-doc.jsonc").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An {@code end} event of a car with {@code plate} (no spaces, as Frigate sends it) seen by {@code camera}. */
    public byte[] end(String plate, String camera) {
        return event(end, "end", plate, camera);
    }

    /** An {@code update} event (yields no read). */
    public byte[] update(String plate, String camera) {
        return event(update, "update", plate, camera);
    }

    private static byte[] event(ObjectNode template, String type, String plate, String camera) {
        ObjectNode e = template.deepCopy();
        double start = Instant.now().minusSeconds(30).toEpochMilli() / 1000.0;
        String id = String.format(java.util.Locale.ROOT, "%.6f-%s", start, UUID.randomUUID().toString().substring(0, 6));
        e.put("type", type);
        for (String side : new String[]{"before", "after"}) {
            ObjectNode s = (ObjectNode) e.get(side);
            s.put("id", id);
            s.put("camera", camera);
            s.put("start_time", start);
            s.put("frame_time", start + 5);
            s.put("recognized_license_plate", plate);
            if (s.hasNonNull("end_time")) {
                s.put("end_time", start + 10);
            }
        }
        try {
            return JSON.writeValueAsBytes(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
