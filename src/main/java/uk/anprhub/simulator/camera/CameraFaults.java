package uk.anprhub.simulator.camera;

import org.springframework.boot.convert.DurationStyle;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cameras that misbehave, for camera-health demos and tests: {@code --silent-camera ID[@seconds]} (stops sending that
 * long after the start; without {@code @}: never sends) and {@code --drift-camera ID=+30s} (its capture times are
 * that far off the real time; + ahead, - behind).
 */
record CameraFaults(Map<String, Duration> silentAfter, Map<String, Duration> clockOffset) {

    static final CameraFaults NONE = new CameraFaults(Map.of(), Map.of());

    CameraFaults {
        silentAfter = Map.copyOf(silentAfter);
        clockOffset = Map.copyOf(clockOffset);
    }

    static CameraFaults parse(List<String> silent, List<String> drift) {
        Map<String, Duration> s = new LinkedHashMap<>();
        for (String v : silent) {
            int at = v.indexOf('@');
            String id = at < 0 ? v : v.substring(0, at);
            Duration after;
            try {
                after = at < 0 ? Duration.ZERO : Duration.ofMillis(Math.round(Double.parseDouble(v.substring(at + 1)) * 1000));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--silent-camera " + v + ": expected ID or ID@seconds, e.g. MPS-DEMO-0002@60");
            }
            if (id.isBlank() || after.isNegative()) {
                throw new IllegalArgumentException("--silent-camera " + v + ": expected ID or ID@seconds, e.g. MPS-DEMO-0002@60");
            }
            s.put(id, after);
        }
        Map<String, Duration> d = new LinkedHashMap<>();
        for (String v : drift) {
            int eq = v.indexOf('=');
            String id = eq < 0 ? "" : v.substring(0, eq);
            String offset = eq < 0 ? "" : v.substring(eq + 1).trim();
            Duration o;
            try {
                boolean minus = offset.startsWith("-");
                String amount = offset.startsWith("+") || minus ? offset.substring(1) : offset;
                o = DurationStyle.detectAndParse(amount);
                o = minus ? o.negated() : o;
            } catch (RuntimeException e) {
                o = null;
            }
            if (id.isBlank() || o == null) {
                throw new IllegalArgumentException("--drift-camera " + v + ": expected ID=+30s or ID=-2m (its clock ahead or behind)");
            }
            d.put(id, o);
        }
        return new CameraFaults(s, d);
    }

    /** Whether the camera has stopped sending at {@code elapsed} since the start. */
    boolean silent(String cameraId, Duration elapsed) {
        Duration after = silentAfter.get(cameraId);
        return after != null && elapsed.compareTo(after) >= 0;
    }

    Duration offset(String cameraId) {
        return clockOffset.getOrDefault(cameraId, Duration.ZERO);
    }
}
