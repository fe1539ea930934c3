package uk.anprhub.simulator.camera;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import uk.anprhub.camera.Camera;
import uk.anprhub.normalise.OfflineRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * A vendor's messages made from its connector's samples. Each positive sample ({@code <name>.expected.json} with
 * reads) is a template: the strings of its expected reads — vendor read id, capture time as sent, plate as sent,
 * clean and spaced, and the camera identity the registry matched — are looked up in the payload and the file name
 * (ISO-8859-1 view of the bytes, so binary parts survive) and replaced per message by a fresh id of the same shape,
 * the current time in the vendor's format, a new plate and a simulated camera's identity. Samples whose expected
 * result is a quarantine reason are the bad payloads, sent as they are. What cannot be varied is kept and reported
 * once through {@code notes} (never with a plate).
 */
final class VendorTemplates implements MessageSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    /** Registry lookup order of the core (connector contract 4.1), cameraId first when the payload names it. */
    private static final List<String> IDENTITY_KEYS = List.of("cameraId", "serial", "mac", "ip", "ftpFolder", "mqttName", "name");

    enum Kind { ID, TIME, PLATE, PLATE_CLEAN, PLATE_SPACED, IDENTITY }

    /**
     * One string of a template replaced per message; {@code part} >= 0: one space-separated part of a time;
     * {@code key}: the registry identity an IDENTITY slot is.
     */
    record Slot(Kind kind, int read, String old, TimeShape time, int part, String key) {
    }

    record ExpectedRead(String asRead, String vrm, String cameraId) {
    }

    record Template(String name, String text, String filename, String contentType, Map<String, String> headers,
                    String folder, String remoteAddr, String topic, List<ExpectedRead> reads, List<Slot> slots,
                    boolean identityVaried) {
    }

    record Bad(String name, byte[] body, String contentType, String filename, Map<String, String> headers) {
    }

    private final String connectorId;
    private final String vendor;
    private final int cameras;
    private final boolean simulated;
    private final List<Template> templates;
    private final List<Bad> bads;
    /** Identity key to the value the first template had: simulated values are derived from it. */
    private final Map<String, String> identityBase;
    private final Camera templateCamera;

    private VendorTemplates(String connectorId, String vendor, int cameras, boolean simulated, List<Template> templates,
                            List<Bad> bads, Map<String, String> identityBase, Camera templateCamera) {
        this.connectorId = connectorId;
        this.vendor = vendor;
        this.cameras = cameras;
        this.simulated = simulated;
        this.templates = templates;
        this.bads = bads;
        this.identityBase = identityBase;
        this.templateCamera = templateCamera;
    }

    /**
     * @param demoCameras the registry the samples' cameras are in (src/test/resources/cameras), to learn which identity matched
     * @param simulated   true: messages carry the identities of SIM-VENDOR-0001..N ({@link #registryYaml()});
     *                    false: they keep the samples' (demo) cameras
     */
    static VendorTemplates load(String connectorId, Path connectorsDir, List<Camera> demoCameras, int cameras,
                                boolean simulated, Consumer<String> notes) throws IOException {
        Map<String, byte[]> files = samples(connectorId, connectorsDir);
        if (files.isEmpty()) {
            throw new IOException("no samples for connector '" + connectorId + "' under " + connectorsDir + " or the classpath");
        }
        List<Template> templates = new ArrayList<>();
        List<Bad> bads = new ArrayList<>();
        Map<String, String> identityBase = new LinkedHashMap<>();
        String vendor = null;
        Camera firstCamera = null;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String name = f.getKey();
            if (!OfflineRun.isPayload(Path.of(name))) {
                continue;
            }
            JsonNode meta = yaml(files.get(sibling(name, ".meta.yaml")));
            Map<String, String> headers = new LinkedHashMap<>();
            meta.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
            String filename = meta.path("filename").asText(name);
            String contentType = meta.hasNonNull("contentType") ? meta.get("contentType").asText() : null;
            if (files.containsKey(sibling(name, ".expected-error.txt"))) {
                bads.add(new Bad(name, f.getValue(), contentType, filename, headers));
                continue;
            }
            byte[] expectedBytes = files.get(sibling(name, ".expected.json"));
            JsonNode expected = expectedBytes == null ? null : JSON.readTree(expectedBytes);
            if (expected == null || !expected.isArray() || expected.isEmpty()) {
                continue; // no expected reads (an ignored event): nothing to vary
            }
            Builder b = new Builder(name, new String(f.getValue(), StandardCharsets.ISO_8859_1), filename, headers, notes);
            List<ExpectedRead> reads = new ArrayList<>();
            Camera camera = null;
            boolean varied = true;
            for (int i = 0; i < expected.size(); i++) {
                JsonNode r = expected.get(i);
                String cameraId = r.path("cameraId").asText();
                Camera c = demoCameras.stream().filter(x -> x.cameraId().equals(cameraId)).findFirst().orElse(null);
                camera = camera == null ? c : camera;
                vendor = vendor == null ? r.path("deviceRef").path("vendor").asText(null) : vendor;
                String vrm = r.path("vrm").asText();
                reads.add(new ExpectedRead(r.path("vrmAsRead").asText(vrm), vrm, cameraId));
                b.read(i, r, c);
                varied &= b.identity(r, c, identityBase); // every read of the template becomes the one simulated camera's
            }
            if (firstCamera != null && camera != null && !camera.timeFormats().equals(firstCamera.timeFormats())) {
                notes.accept(name + ": its camera writes dates in its own order (registry timeFormats), which the simulated"
                        + " cameras (after " + firstCamera.cameraId() + ") do not; not used as a template");
                continue;
            }
            firstCamera = firstCamera == null ? camera : firstCamera;
            templates.add(new Template(name, b.text, filename, contentType, headers, meta.path("folder").asText(null),
                    meta.path("remoteAddr").asText(null), meta.path("topic").asText(null), reads, b.slots(), varied));
        }
        if (templates.isEmpty()) {
            throw new IOException("connector '" + connectorId + "' has no sample with expected reads to use as a template");
        }
        return new VendorTemplates(connectorId, vendor == null ? connectorId : vendor, cameras, simulated,
                List.copyOf(templates), List.copyOf(bads), identityBase, firstCamera);
    }

    List<Template> templates() {
        return templates;
    }

    String vendor() {
        return vendor;
    }

    @Override
    public Message next(RandomGenerator r) {
        return message(templates.get(r.nextInt(templates.size())), 1 + r.nextInt(cameras), r);
    }

    @Override
    public Message bad(RandomGenerator r) {
        if (bads.isEmpty()) {
            throw new IllegalStateException("connector '" + connectorId + "' has no bad samples (*.expected-error.txt)");
        }
        Bad b = bads.get(r.nextInt(bads.size()));
        return new Message(b.body(), b.contentType(), b.filename(), b.headers(), 0, true, List.of(), List.of());
    }

    boolean hasBadSamples() {
        return !bads.isEmpty();
    }

    @Override
    public double readsPerMessage() {
        return templates.stream().mapToInt(t -> t.reads().size()).average().orElse(1);
    }

    /** The template varied for simulated camera {@code camera} (1..N). */
    Message message(Template t, int camera, RandomGenerator r) {
        Instant now = Instant.now();
        int n = t.reads().size();
        String[] plates = new String[n];
        String[] asRead = new String[n];
        Instant[] times = new Instant[n];
        for (int i = 0; i < n; i++) {
            asRead[i] = Plates.like(t.reads().get(i).asRead(), r);
            plates[i] = Plates.clean(asRead[i]);
            times[i] = now.minusMillis(r.nextInt(2_000));
        }
        Map<Integer, String> ids = new HashMap<>();
        String text = t.text();
        String filename = t.filename();
        Map<String, String> headers = new LinkedHashMap<>(t.headers());
        for (Slot s : t.slots()) {
            String value = switch (s.kind()) {
                case ID -> ids.computeIfAbsent(s.read(), k -> Plates.sameShape(s.old(), r));
                case TIME -> timePart(s, times[s.read()]);
                case PLATE -> asRead[s.read()];
                case PLATE_CLEAN -> plates[s.read()];
                case PLATE_SPACED -> plates[s.read()].substring(0, plates[s.read()].length() - 3) + " "
                        + plates[s.read()].substring(plates[s.read()].length() - 3);
                case IDENTITY -> simulated ? simulatedValue(s.key(), identityBase.get(s.key()), camera) : s.old();
            };
            String latin = latin1(value);
            text = replace(text, s.old(), latin);
            filename = replace(filename, s.old(), latin);
            headers.replaceAll((k, v) -> replace(v, s.old(), latin));
        }
        List<String> cameraIds = new ArrayList<>(n);
        for (ExpectedRead e : t.reads()) {
            cameraIds.add(simulated && t.identityVaried() ? cameraId(camera) : e.cameraId());
        }
        return new Message(text.getBytes(StandardCharsets.ISO_8859_1), t.contentType(), filename, headers, n, false,
                List.of(plates), cameraIds);
    }

    private static String timePart(Slot s, Instant time) {
        String rendered = s.time().render().apply(time);
        if (s.part() < 0) {
            return rendered;
        }
        String part = rendered.split(" ")[s.part()];
        return part.endsWith("Z") && !s.old().endsWith("Z") ? part.substring(0, part.length() - 1) : part;
    }

    String cameraId(int camera) {
        return "SIM-" + vendor.toUpperCase(Locale.ROOT) + "-" + String.format("%04d", camera);
    }

    /** Identity of simulated camera {@code camera}, derived from the sample camera's so it keeps its look. */
    String simulatedValue(String key, String base, int camera) {
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

    // ------------------------------------------------------------------------------------------ building templates

    /** Finds a template's variable strings, in the order they are replaced: ids, times, plates, identity. */
    private static final class Builder {
        final String name;
        final String text;
        final String filename;
        final Map<String, String> headers;
        final Consumer<String> notes;
        final List<Slot> ids = new ArrayList<>(), times = new ArrayList<>(), plates = new ArrayList<>(), identity = new ArrayList<>();
        final Set<String> seen = new LinkedHashSet<>();

        Builder(String name, String text, String filename, Map<String, String> headers, Consumer<String> notes) {
            this.name = name;
            this.headers = headers;
            this.text = text;
            this.filename = filename;
            this.notes = notes;
        }

        List<Slot> slots() {
            List<Slot> all = new ArrayList<>(ids);
            all.addAll(times);
            all.addAll(plates);
            all.addAll(identity);
            return all;
        }

        boolean found(String s) {
            String l = latin1(s);
            return !s.isEmpty() && (indexOf(text, l, 0) >= 0 || indexOf(filename, l, 0) >= 0
                    || headers.values().stream().anyMatch(h -> indexOf(h, l, 0) >= 0));
        }

        private boolean add(List<Slot> to, Slot s) {
            if (!seen.add(s.old())) {
                return true;
            }
            to.add(new Slot(s.kind(), s.read(), latin1(s.old()), s.time(), s.part(), s.key()));
            return true;
        }

        void read(int i, JsonNode r, Camera camera) {
            String cameraId = r.path("cameraId").asText();
            String vrm = r.path("vrm").asText();
            Instant utc = Instant.parse(r.path("captureTimeUtc").asText());
            String key = r.path("idempotencyKey").asText();
            String rest = key.startsWith(cameraId + ":") ? key.substring(cameraId.length() + 1) : key;
            if (!rest.equals(vrm + ":" + utc.toEpochMilli())) {
                if (found(rest)) {
                    add(ids, new Slot(Kind.ID, i, rest, null, -1, null));
                } else if (!compositeId(i, rest, r)) {
                    notes.accept(name + ": vendor read id not found in the payload; kept, so repeats of this template are duplicates");
                }
            }
            String raw = r.path("captureTimeRaw").asText("");
            TimeShape shape = TimeShape.detect(raw, utc.truncatedTo(ChronoUnit.MILLIS),
                    TimeShape.zones(camera == null ? null : camera.timeZone())).orElse(null);
            if (shape == null) {
                notes.accept(name + ": capture time format of '" + raw + "' not recognised; sample time kept (may be refused as expired)");
            } else if (found(raw)) {
                add(times, new Slot(Kind.TIME, i, raw, shape, -1, null));
            } else {
                // vendors that send date and time in two fields (Genetec: UTCDate + UTCTime)
                String[] parts = raw.split(" ");
                boolean all = parts.length > 1;
                for (String p : parts) {
                    all &= found(p) || found(stripZ(p));
                }
                if (all) {
                    for (int k = 0; k < parts.length; k++) {
                        add(times, new Slot(Kind.TIME, i, found(parts[k]) ? parts[k] : stripZ(parts[k]), shape, k, null));
                    }
                } else if (!epochFallback(i, utc, camera)) {
                    notes.accept(name + ": capture time '" + raw + "' not found in the payload; sample time kept");
                }
            }
            String asRead = r.path("vrmAsRead").asText(vrm);
            boolean plate = false;
            if (found(asRead)) {
                plate = add(plates, new Slot(Kind.PLATE, i, asRead, null, -1, null));
            }
            if (!vrm.equals(asRead) && found(vrm)) {
                plate = add(plates, new Slot(Kind.PLATE_CLEAN, i, vrm, null, -1, null));
            }
            String spaced = vrm.length() > 4 ? vrm.substring(0, vrm.length() - 3) + " " + vrm.substring(vrm.length() - 3) : vrm;
            if (!spaced.equals(asRead) && found(spaced)) {
                plate = add(plates, new Slot(Kind.PLATE_SPACED, i, spaced, null, -1, null));
            }
            if (!plate) {
                notes.accept(name + ": read " + i + "'s plate not found in the payload; kept");
            }
        }

        /**
         * Ids the mapping composes (Axis: serial + "-" + carID; Survision: date + "-" + id): the parts that are
         * neither the camera's identity nor the capture time get fresh values; the time part varies anyway.
         */
        private boolean compositeId(int i, String id, JsonNode read) {
            String raw = read.path("captureTimeRaw").asText("");
            Set<String> device = new HashSet<>();
            read.path("deviceRef").forEach(v -> device.add(v.asText()));
            boolean varies = false;
            for (String part : id.split("[-_:]")) {
                if (part.equals(raw)) {
                    varies = true;
                } else if (part.length() >= 4 && !device.contains(part) && found(part)) {
                    varies = add(ids, new Slot(Kind.ID, i, part, null, -1, null));
                }
            }
            return varies;
        }

        /**
         * Mappings that compose the time from other fields (Dahua: epoch seconds of the local wall clock + a
         * milliseconds field): look for the instant's epoch seconds or millis, as UTC or as the camera's wall clock.
         */
        private boolean epochFallback(int i, Instant utc, Camera camera) {
            List<java.time.ZoneId> zones = new ArrayList<>(List.of(java.time.ZoneOffset.UTC));
            if (camera != null && camera.timeZone() != null) {
                zones.add(camera.timeZone());
            }
            for (java.time.ZoneId z : zones) {
                long wallSeconds = java.time.LocalDateTime.ofInstant(utc, z).toEpochSecond(java.time.ZoneOffset.UTC);
                long wallMillis = wallSeconds * 1000 + utc.toEpochMilli() % 1000;
                if (found(Long.toString(wallMillis))) {
                    add(times, new Slot(Kind.TIME, i, Long.toString(wallMillis), new TimeShape("epoch-ms wall clock " + z,
                            t -> Long.toString(java.time.LocalDateTime.ofInstant(t, z).toInstant(java.time.ZoneOffset.UTC).toEpochMilli())), -1, null));
                    return true;
                }
                if (found(Long.toString(wallSeconds))) {
                    add(times, new Slot(Kind.TIME, i, Long.toString(wallSeconds), new TimeShape("epoch-s wall clock " + z,
                            t -> Long.toString(java.time.LocalDateTime.ofInstant(t, z).toEpochSecond(java.time.ZoneOffset.UTC))), -1, null));
                    return true;
                }
            }
            return false;
        }

        /** The identity the registry matched the sample camera by; true when it is in the payload (variable). */
        boolean identity(JsonNode read, Camera camera, Map<String, String> base) {
            String cameraId = read.path("cameraId").asText();
            JsonNode ref = read.path("deviceRef");
            for (String key : IDENTITY_KEYS) {
                String value = key.equals("cameraId") ? cameraId : ref.path(key).asText(null);
                if (value == null || (!key.equals("cameraId") && !matches(key, value, camera))) {
                    continue;
                }
                if (key.equals("cameraId") && !found(value)) {
                    continue;
                }
                if (!found(value)) {
                    notes.accept(name + ": camera identity " + key + " '" + value + "' comes from the transport (e.g. sender address or"
                            + " FTP folder), not the payload; kept, reads resolve to " + cameraId);
                    return false;
                }
                base.putIfAbsent(key, value);
                add(identity, new Slot(Kind.IDENTITY, 0, value, null, -1, key));
                return true;
            }
            notes.accept(name + ": no camera identity of " + cameraId + " found; kept");
            return false;
        }

        private static boolean matches(String key, String value, Camera camera) {
            if (camera == null) {
                return false;
            }
            Camera.Device d = camera.device();
            return switch (key) {
                case "serial" -> value.equals(d.serial());
                case "mac" -> d.mac() != null && mac(value).equals(mac(d.mac()));
                case "ip" -> value.equals(d.ip());
                case "ftpFolder" -> value.equals(d.ftpFolder());
                case "mqttName" -> value.equals(d.mqttName());
                case "name" -> value.equals(d.name());
                default -> false;
            };
        }

        private static String mac(String m) {
            return m.toLowerCase(Locale.ROOT).replaceAll("[^0-9a-f]", "");
        }

        private static String stripZ(String s) {
            return s.endsWith("Z") ? s.substring(0, s.length() - 1) : s;
        }
    }

    // ------------------------------------------------------------------------------------------ text helpers

    /** The ISO-8859-1 view of a string's UTF-8 bytes: how it appears in the payload's ISO-8859-1 view. */
    static String latin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** First occurrence of {@code s} as a whole token (no letter or digit right before or after), or -1. */
    static int indexOf(String text, String s, int from) {
        for (int i = text.indexOf(s, from); i >= 0; i = text.indexOf(s, i + 1)) {
            int end = i + s.length();
            if ((i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                    && (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                return i;
            }
        }
        return -1;
    }

    /** Replaces every whole-token occurrence (so a plate inside base64 or a longer number is left alone). */
    static String replace(String text, String old, String value) {
        int i = indexOf(text, old, 0);
        if (i < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        int from = 0;
        for (; i >= 0; i = indexOf(text, old, from)) {
            b.append(text, from, i).append(value);
            from = i + old.length();
        }
        return b.append(text, from, text.length()).toString();
    }

    // ------------------------------------------------------------------------------------------ loading samples

    private static String sibling(String name, String suffix) {
        return OfflineRun.sibling(Path.of(name), suffix).getFileName().toString();
    }

    private static JsonNode yaml(byte[] bytes) throws IOException {
        JsonNode n = bytes == null ? null : YAML.readTree(bytes);
        return n == null || n.isMissingNode() ? YAML.createObjectNode() : n;
    }

    /** Sample file name to bytes, from connectors/ on disk when it exists, else from the classpath (the jar). */
    private static Map<String, byte[]> samples(String connectorId, Path connectorsDir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path dir = connectorsDir.resolve(connectorId).resolve("samples");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                for (Path p : list.filter(Files::isRegularFile).toList()) {
                    files.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
            return files;
        }
        for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:connectors/" + connectorId + "/samples/*")) {
            if (r.isReadable() && r.getFilename() != null) {
                try (var in = r.getInputStream()) {
                    files.put(r.getFilename(), in.readAllBytes());
                }
            }
        }
        return files;
    }
}
