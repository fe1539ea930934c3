package uk.anprhub.simulator.camera;

import com.fasterxml.jackson.databind.JsonNode;
import uk.anprhub.camera.Camera;
import uk.anprhub.simulator.camera.VendorTemplates.Kind;
import uk.anprhub.simulator.camera.VendorTemplates.Slot;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static uk.anprhub.simulator.camera.TokenText.indexOf;
import static uk.anprhub.simulator.camera.TokenText.latin1;

/**
 * Finds a sample's variable strings (the {@link Slot}s of its template), in the order they are replaced: vendor read
 * ids, capture times, plates, the camera identity. What it cannot find is kept as sent and said once through notes.
 */
final class SlotFinder {

    /** Registry lookup order of the core (connector contract 4.1), cameraId first when the payload names it. */
    private static final List<String> IDENTITY_KEYS = List.of("cameraId", "serial", "mac", "ip", "ftpFolder", "mqttName", "name");

    private final String name;
    private final String text;
    private final String filename;
    private final Map<String, String> headers;
    private final Consumer<String> notes;
    private final List<Slot> ids = new ArrayList<>(), times = new ArrayList<>(), plates = new ArrayList<>(), identity = new ArrayList<>();
    private final Set<String> seen = new LinkedHashSet<>();

    SlotFinder(String name, String text, String filename, Map<String, String> headers, Consumer<String> notes) {
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

    /** The slots of expected read {@code i}: its vendor read id, capture time and plate as the payload has them. */
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
        List<ZoneId> zones = new ArrayList<>(List.of(ZoneOffset.UTC));
        if (camera != null && camera.timeZone() != null) {
            zones.add(camera.timeZone());
        }
        for (ZoneId z : zones) {
            long wallSeconds = LocalDateTime.ofInstant(utc, z).toEpochSecond(ZoneOffset.UTC);
            long wallMillis = wallSeconds * 1000 + utc.toEpochMilli() % 1000;
            if (found(Long.toString(wallMillis))) {
                add(times, new Slot(Kind.TIME, i, Long.toString(wallMillis), new TimeShape("epoch-ms wall clock " + z,
                        t -> Long.toString(LocalDateTime.ofInstant(t, z).toInstant(ZoneOffset.UTC).toEpochMilli())), -1, null));
                return true;
            }
            if (found(Long.toString(wallSeconds))) {
                add(times, new Slot(Kind.TIME, i, Long.toString(wallSeconds), new TimeShape("epoch-s wall clock " + z,
                        t -> Long.toString(LocalDateTime.ofInstant(t, z).toEpochSecond(ZoneOffset.UTC))), -1, null));
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
