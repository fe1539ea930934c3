package uk.anprhub.camera;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The cameras the hub knows, loaded from YAML files that ops edit (docs/camera-registry.md). Lookups go
 * through an immutable snapshot, so a reload swaps the whole registry atomically and never blocks ingest.
 */
public final class CameraRegistry {

    private static final Logger log = LoggerFactory.getLogger(CameraRegistry.class);

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
                parsed = CameraFiles.parse(file);
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

    /** Reloads when a file was added, removed or changed since the last load; never throws (the hub's watch audits: uk.anprhub.ingest.CameraReloads). */
    public void reloadIfChanged() {
        try {
            if (diskStamp() != loadedStamp) {
                reload();
            }
        } catch (IOException | RuntimeException e) {
            log.error("Camera registry under {} not reloaded, previous one kept: {}", location, e.getMessage());
        }
    }

    /**
     * A fingerprint of the files as they are on disk now (names, count, modification times): differs from
     * {@link #loadedStamp()} when a file was added, removed or changed since the last successful load.
     */
    public long diskStamp() throws IOException {
        return stamp(files());
    }

    /** The {@link #diskStamp()} of the files the registry was last loaded from (-1 before the first load). */
    public long loadedStamp() {
        return loadedStamp;
    }

    /** Finds the camera a read came from (contract section 4.1); see {@link #lookup}. */
    public Optional<Camera> find(CameraIdentity identity) {
        return Optional.ofNullable(lookup(identity).camera());
    }

    /**
     * The camera a read came from, or why there is none. The strongest identity the read carries decides
     * ({@code cameraId}, else serial, MAC, IP (with its channel), FTP folder, MQTT name, name); every other identity
     * it carries must agree with that camera's entry or be absent from it. A strongest identity that names no camera,
     * or a camera that disagrees, is no camera: a weaker identity never picks a sibling (a read filed under another
     * camera is wrong evidence).
     */
    public Lookup lookup(CameraIdentity identity) {
        if (identity == null) {
            return Lookup.none("the message carries no camera identity");
        }
        Snapshot s = snapshot.get();
        String[] read = identities(identity);
        if (identity.cameraId() != null) {
            Entry entry = s.entries.get(identity.cameraId());
            if (entry == null) {
                return Lookup.none("cameraId " + identity.cameraId() + " is not in the registry");
            }
            Camera camera = entry.camera();
            String clash = clash(read, entry.ids());
            return clash == null ? Lookup.of(camera)
                    : Lookup.none("cameraId names " + camera.cameraId() + " but " + clash);
        }
        String v = identity.vendor().toLowerCase(Locale.ROOT);
        for (int kind : STRENGTH) {
            if (read[kind] == null) {
                continue;
            }
            List<Entry> named = s.byIdentity.getOrDefault(v + "|" + FIELDS[kind] + "|" + read[kind], List.of());
            if (named.isEmpty()) {
                return Lookup.none(FIELDS[kind] + " " + read[kind] + " names no " + v + " camera of the registry"
                        + " (a weaker identity of the read is not tried: it could name another camera)");
            }
            List<Camera> agreeing = new ArrayList<>();
            int best = 0;
            for (Entry e : named) {
                if (clash(read, e.ids()) == null) {
                    int agreed = agreed(read, e.ids());
                    if (agreed > best) {
                        agreeing.clear();
                        best = agreed;
                    }
                    if (agreed == best) {
                        agreeing.add(e.camera());
                    }
                }
            }
            if (agreeing.size() == 1) {
                return Lookup.of(agreeing.get(0));
            }
            if (agreeing.isEmpty()) {
                Entry first = named.get(0);
                return Lookup.none(FIELDS[kind] + " " + read[kind] + " names " + first.camera().cameraId()
                        + (named.size() > 1 ? " (and " + (named.size() - 1) + " more)" : "") + " but "
                        + clash(read, first.ids()));
            }
            return Lookup.none(FIELDS[kind] + " " + read[kind] + " names " + agreeing.size() + " cameras ("
                    + String.join(", ", agreeing.stream().map(Camera::cameraId).toList())
                    + ") and nothing else the read carries tells them apart");
        }
        return Lookup.none("the message carries no camera identity");
    }

    /** The camera of a read, or (camera null) why none matched: identities only, never a plate. */
    public record Lookup(Camera camera, String problem) {
        static Lookup of(Camera camera) {
            return new Lookup(camera, null);
        }

        static Lookup none(String problem) {
            return new Lookup(null, problem);
        }
    }

    /** The identity fields, compared after the same clean-up as the registry's entries. */
    private static final String[] FIELDS = {"serial", "mac", "ip", "channel", "ftpFolder", "mqttName", "name"};
    private static final int CHANNEL = 3;
    /** Strongest first; the channel only qualifies an IP (one server, several camera numbers). */
    private static final int[] STRENGTH = {0, 1, 2, 4, 5, 6};

    private static String[] identities(CameraIdentity d) {
        return new String[]{blank(d.serial()), mac(blank(d.mac())), blank(d.ip()), channelOrNull(d.channel()),
                blank(d.ftpFolder()), blank(d.mqttName()), blank(d.name())};
    }

    private static String[] identities(Camera.Device d) {
        return new String[]{d.serial(), mac(d.mac()), d.ip(), channelOrNull(d.channel()), d.ftpFolder(), d.mqttName(),
                d.name()};
    }

    /** The first identity the read carries that the camera's entry has with another value, or null. */
    private static String clash(String[] read, String[] camera) {
        for (int i = 0; i < FIELDS.length; i++) {
            if (read[i] != null && camera[i] != null && !read[i].equals(camera[i])) {
                return "the read's " + FIELDS[i] + " " + read[i] + " is not that camera's (" + camera[i] + ")";
            }
        }
        return null;
    }

    private static int agreed(String[] read, String[] camera) {
        int n = 0;
        for (int i = 0; i < FIELDS.length; i++) {
            if (read[i] != null && read[i].equals(camera[i])) {
                n++;
            }
        }
        return n;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String channelOrNull(String c) {
        return c == null || c.isBlank() ? null : channel(c);
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

    static String mac(String mac) {
        return mac == null ? null : mac.toLowerCase(Locale.ROOT).replace('-', ':');
    }

    /** A camera with its identities cleaned once, at load, not per read. */
    private record Entry(Camera camera, String[] ids) {
    }

    private record Snapshot(Map<String, Camera> cameras, Map<String, Entry> entries, Map<String, List<Entry>> byIdentity) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of());

        static Snapshot of(List<Camera> cameras) {
            Map<String, Camera> byId = new LinkedHashMap<>();
            Map<String, Entry> entries = new HashMap<>();
            Map<String, List<Entry>> byIdentity = new HashMap<>();
            for (Camera c : cameras) {
                if (byId.put(c.cameraId(), c) != null) {
                    throw new IllegalArgumentException("camera " + c.cameraId() + " is defined twice");
                }
                Entry entry = new Entry(c, identities(c.device()));
                entries.put(c.cameraId(), entry);
                for (int kind : STRENGTH) {
                    if (entry.ids()[kind] != null) { // every camera with that value: a shared one is told apart by the rest
                        byIdentity.computeIfAbsent(c.vendor() + "|" + FIELDS[kind] + "|" + entry.ids()[kind],
                                k -> new ArrayList<>()).add(entry);
                    }
                }
            }
            Map<String, List<Entry>> frozen = new HashMap<>();
            byIdentity.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new Snapshot(Map.copyOf(byId), Map.copyOf(entries), Map.copyOf(frozen));
        }
    }
}
