package uk.anprhub.simulator.camera;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import uk.anprhub.camera.Camera;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated cameras SIM-VENDOR-0001..N of one connector: their ids, their identities (derived from the sample
 * camera's, so they keep its look) and the registry file that declares them.
 */
final class SimulatedCameras {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private final String connectorId;
    private final String vendor;
    private final int cameras;
    /** Identity key to the value the first template had: simulated values are derived from it. */
    private final Map<String, String> identityBase;
    private final Camera templateCamera;

    SimulatedCameras(String connectorId, String vendor, int cameras, Map<String, String> identityBase, Camera templateCamera) {
        this.connectorId = connectorId;
        this.vendor = vendor;
        this.cameras = cameras;
        this.identityBase = identityBase;
        this.templateCamera = templateCamera;
    }

    String vendor() {
        return vendor;
    }

    int count() {
        return cameras;
    }

    /** The registry id of simulated camera {@code camera} (1..N). */
    String cameraId(int camera) {
        return "SIM-" + vendor.toUpperCase(Locale.ROOT) + "-" + String.format("%04d", camera);
    }

    /** The value of identity {@code key} (one the samples vary) of simulated camera {@code camera}. */
    String identity(String key, int camera) {
        return simulatedValue(key, identityBase.get(key), camera);
    }

    /** Identity of simulated camera {@code camera}, derived from the sample camera's so it keeps its look. */
    private String simulatedValue(String key, String base, int camera) {
        int width = Math.max(4, Integer.toString(cameras).length());
        String index = String.format("%0" + width + "d", camera);
        return switch (key) {
            case "cameraId" -> cameraId(camera);
            case "mac" -> {
                // keep the vendor prefix and separators; the last two octets become the camera number
                String hex = String.format("%04x", camera & 0xffff);
                StringBuilder b = new StringBuilder(base);
                int k = 3;
                for (int i = b.length() - 1; i >= 0 && k >= 0; i--) {
                    if (Character.digit(b.charAt(i), 16) >= 0) {
                        char h = hex.charAt(k--);
                        b.setCharAt(i, Character.isUpperCase(base.charAt(i)) ? Character.toUpperCase(h) : h);
                    }
                }
                yield b.toString();
            }
            case "ip" -> {
                String[] o = base.split("\\.");
                yield o.length == 4 ? o[0] + "." + o[1] + "." + ((camera - 1) / 250 % 256) + "." + ((camera - 1) % 250 + 1)
                        : base + "-" + index;
            }
            default -> base.length() > width ? base.substring(0, base.length() - width) + index : base + index;
        };
    }

    /** Registry YAML with the simulated cameras: the first template's camera with new ids and identities. */
    String registryYaml() throws IOException {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 1; i <= cameras; i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("cameraId", cameraId(i));
            c.put("sourceId", templateCamera == null ? "SIM" : templateCamera.sourceId());
            c.put("feedId", templateCamera == null ? "SIM" : templateCamera.feedId());
            c.put("vendor", vendor);
            Map<String, Object> device = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : identityBase.entrySet()) {
                if (!e.getKey().equals("cameraId")) {
                    device.put(e.getKey(), simulatedValue(e.getKey(), e.getValue(), i));
                }
            }
            if (device.containsKey("ip") && templateCamera != null && templateCamera.device().channel() != null) {
                device.put("channel", templateCamera.device().channel());
            }
            if (!device.isEmpty()) {
                c.put("device", device);
            }
            if (templateCamera != null) {
                if (templateCamera.latitude() != null && templateCamera.longitude() != null) {
                    c.put("site", Map.of("latitude", templateCamera.latitude(), "longitude", templateCamera.longitude()));
                }
                if (templateCamera.timeZone() != null) {
                    c.put("timeZone", templateCamera.timeZone().getId());
                }
                if (!templateCamera.directions().isEmpty()) {
                    Map<String, String> d = new TreeMap<>();
                    templateCamera.directions().forEach((k, v) -> d.put(k, v.name()));
                    c.put("directions", d);
                }
                if (!templateCamera.timeFormats().isEmpty()) { // the sample's date order (a camera's locale)
                    c.put("timeFormats", new TreeMap<>(templateCamera.timeFormats()));
                }
            }
            list.add(c);
        }
        return "# Simulated cameras of bin/anpr-hub camera-sim --vendor " + connectorId + " (generated)\n"
                + YAML.writeValueAsString(Map.of("cameras", list));
    }
}
