package uk.anprhub.camera;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.read.NasRead.Direction;
import uk.anprhub.read.VendorRead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The cameras the hub knows, loaded from YAML files that ops edit (config/cameras/README.md). Lookups go
 * through an immutable snapshot, so a reload swaps the whole registry atomically and never blocks ingest.
 */
public final class CameraRegistry {

    private static final Logger log = LoggerFactory.getLogger(CameraRegistry.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path location;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.EMPTY);
    private volatile long loadedStamp = -1;

    public CameraRegistry(Path location) {
        this.location = location;
    }

    public static CameraRegistry of(List<Camera> cameras) {
        CameraRegistry registry = new CameraRegistry(null);
        registry.snapshot.set(Snapshot.of(cameras));
        return registry;
    }

    public Path location() {
        return location;
    }

    public int size() {
        return snapshot.get().cameras.size();
    }

    public List<Camera> cameras() {
        return List.copyOf(snapshot.get().cameras.values());
    }

    /** Loads the files; a broken file keeps the previous registry and throws, so ops see the error. */
    public synchronized int reload() throws IOException {
        List<Path> files = files();
        List<Camera> cameras = new ArrayList<>();
        Map<String, Path> origin = new HashMap<>();
        for (Path file : files) {
            List<Camera> parsed;
            try {
                parsed = parse(file);
            } catch (IOException | RuntimeException e) { // bad YAML, bad direction...: say which file to fix
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                throw new IOException(message.contains(file.getFileName().toString()) ? message : file + ": " + message, e);
            }
            for (Camera c : parsed) {
                Path first = origin.putIfAbsent(c.cameraId(), file);
                if (first != null) {
                    throw new IOException(file + ": camera " + c.cameraId() + " is defined twice"
                            + (first.equals(file) ? "" : " (also in " + first + ")"));
                }
            }
            cameras.addAll(parsed);
        }
        snapshot.set(Snapshot.of(cameras));
        loadedStamp = stamp(files);
        log.info("Camera registry: {} cameras from {} file(s) under {}", cameras.size(), files.size(), location);
        return cameras.size();
    }

    /** Reloads when a file was added, removed or changed since the last load. */
    public void reloadIfChanged() {
        try {
            if (stamp(files()) != loadedStamp) {
                reload();
            }
        } catch (IOException | RuntimeException e) {
            log.error("Camera registry under {} not reloaded, previous one kept: {}", location, e.getMessage());
        }
    }

    /** Finds the camera a vendor read came from (contract section 4.1). */
    public Optional<Camera> find(String vendor, VendorRead.Device device) {
        if (device == null) {
            return Optional.empty();
        }
        Snapshot s = snapshot.get();
        if (device.cameraId() != null) {
            return Optional.ofNullable(s.cameras.get(device.cameraId()));
        }
        String v = vendor.toLowerCase(Locale.ROOT);
        String[][] keys = {
                {"serial", device.serial()}, {"mac", mac(device.mac())},
                {"ip+channel", device.ip() == null || device.channel() == null ? null : device.ip() + "#" + channel(device.channel())},
                {"ip", device.ip()}, {"ftpFolder", device.ftpFolder()}, {"mqttName", device.mqttName()},
                {"name", device.name()}};
        for (String[] key : keys) {
            if (key[1] != null) {
                Camera camera = s.byIdentity.get(v + "|" + key[0] + "|" + key[1]);
                if (camera != null) {
                    return Optional.of(camera);
                }
            }
        }
        return Optional.empty();
    }

    private List<Path> files() throws IOException {
        if (location == null) {
            return List.of();
        }
        if (Files.isRegularFile(location)) {
            return List.of(location);
        }
        if (!Files.isDirectory(location)) {
            throw new IOException("camera registry " + location + " does not exist");
        }
        try (Stream<Path> list = Files.list(location)) {
            return list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static long stamp(List<Path> files) throws IOException {
        long stamp = files.size();
        for (Path f : files) {
            stamp = stamp * 31 + Files.getLastModifiedTime(f).toMillis() + f.hashCode();
        }
        return stamp;
    }

    static List<Camera> parse(Path file) throws IOException {
        JsonNode root = YAML.readTree(file.toFile());
        JsonNode list = root == null ? null : root.get("cameras");
        if (list == null || !list.isArray()) {
            throw new IOException(file + ": expected a top-level 'cameras:' list");
        }
        List<Camera> cameras = new ArrayList<>();
        int i = 0;
        for (JsonNode c : list) {
            String where = file.getFileName() + " camera #" + (++i);
            String id = required(c, "cameraId", where);
            JsonNode d = c.path("device");
            JsonNode site = c.path("site");
            Map<String, Direction> directions = new HashMap<>();
            c.path("directions").fields().forEachRemaining(e -> directions.put(e.getKey().toLowerCase(Locale.ROOT),
                    Direction.valueOf(e.getValue().asText().toUpperCase(Locale.ROOT))));
            ZoneId zone;
            try {
                zone = c.hasNonNull("timeZone") ? ZoneId.of(c.get("timeZone").asText()) : null;
            } catch (RuntimeException e) {
                throw new IOException(where + ": unknown timeZone " + c.get("timeZone").asText());
            }
            cameras.add(new Camera(id, required(c, "sourceId", where), required(c, "feedId", where),
                    required(c, "vendor", where).toLowerCase(Locale.ROOT),
                    new Camera.Device(text(d, "serial"), mac(text(d, "mac")), text(d, "ip"), text(d, "channel"),
                            text(d, "ftpFolder"), text(d, "mqttName"), text(d, "name")),
                    site.hasNonNull("latitude") ? site.get("latitude").asDouble() : null,
                    site.hasNonNull("longitude") ? site.get("longitude").asDouble() : null,
                    zone, directions));
        }
        return cameras;
    }

    private static String required(JsonNode node, String field, String where) throws IOException {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new IOException(where + ": '" + field + "' is required");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** "01" and "1" name the same channel. */
    static String channel(String channel) {
        String c = channel.trim();
        if (c.isEmpty() || c.length() > 9) {
            return c;
        }
        for (int i = 0; i < c.length(); i++) {
            if (c.charAt(i) < '0' || c.charAt(i) > '9') {
                return c;
            }
        }
        return String.valueOf(Integer.parseInt(c));
    }

    private static String mac(String mac) {
        return mac == null ? null : mac.toLowerCase(Locale.ROOT).replace('-', ':');
    }

    private record Snapshot(Map<String, Camera> cameras, Map<String, Camera> byIdentity) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of());

        static Snapshot of(List<Camera> cameras) {
            Map<String, Camera> byId = new LinkedHashMap<>();
            Map<String, Camera> byIdentity = new HashMap<>();
            for (Camera c : cameras) {
                if (byId.put(c.cameraId(), c) != null) {
                    throw new IllegalArgumentException("camera " + c.cameraId() + " is defined twice");
                }
                Camera.Device d = c.device();
                String v = c.vendor() + "|";
                put(byIdentity, v + "serial|", d.serial(), c);
                put(byIdentity, v + "mac|", d.mac(), c);
                put(byIdentity, v + "ip+channel|", d.ip() == null || d.channel() == null ? null : d.ip() + "#" + channel(d.channel()), c);
                put(byIdentity, v + "ip|", d.ip(), c);
                put(byIdentity, v + "ftpFolder|", d.ftpFolder(), c);
                put(byIdentity, v + "mqttName|", d.mqttName(), c);
                put(byIdentity, v + "name|", d.name(), c);
            }
            return new Snapshot(Map.copyOf(byId), Map.copyOf(byIdentity));
        }

        private static void put(Map<String, Camera> index, String prefix, String value, Camera camera) {
            if (value != null) {
                index.putIfAbsent(prefix + value, camera);
            }
        }
    }
}
