package uk.anprhub.normalise;

import uk.anprhub.camera.Camera;
import uk.anprhub.model.NasRead.Direction;

import java.util.Locale;
import java.util.Map;

/** A vendor's direction word as TOWARDS / AWAY / UNKNOWN: the camera's own map first, then the common words. */
final class Directions {

    private static final Map<String, Direction> WORDS = Map.ofEntries(
            Map.entry("towards", Direction.TOWARDS), Map.entry("toward", Direction.TOWARDS),
            Map.entry("approach", Direction.TOWARDS), Map.entry("approaching", Direction.TOWARDS),
            Map.entry("in", Direction.TOWARDS), Map.entry("1", Direction.TOWARDS),
            Map.entry("away", Direction.AWAY), Map.entry("moving away", Direction.AWAY),
            Map.entry("out", Direction.AWAY), Map.entry("goaway", Direction.AWAY), Map.entry("2", Direction.AWAY),
            Map.entry("unknown", Direction.UNKNOWN), Map.entry("unk", Direction.UNKNOWN), Map.entry("0", Direction.UNKNOWN));

    private Directions() {
    }

    static Direction direction(String raw, Camera camera) {
        if (raw == null) {
            return null;
        }
        String key = raw.trim().toLowerCase(Locale.ROOT);
        if (camera != null && camera.directions().containsKey(key)) {
            return camera.directions().get(key);
        }
        return WORDS.getOrDefault(key, Direction.UNKNOWN);
    }
}
