package uk.anprhub.search;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A checked, bounded search of the local store. {@link #of} refuses (400) anything out of bounds; the messages name
 * the field and never quote a plate.
 *
 * @param vrm    the plate or plate pattern, normalised (upper case, no spaces or hyphens); null: every plate (then
 *               cameras are required)
 * @param fuzzy  match OCR confusions too
 * @param bbox   minLat, minLon, maxLat, maxLon, or null
 * @param after  the keyset cursor, or null for the first page
 */
public record SearchQuery(String vrm, boolean fuzzy, Instant from, Instant to, List<String> cameras, String direction,
                          List<Double> bbox, int pageSize, Cursor after) {

    static final int MAX_VRM = 20;
    static final int MAX_CAMERA_ID = 100;
    private static final Pattern VRM = Pattern.compile("[A-Z0-9*?]+");
    private static final Pattern CAMERA_ID = Pattern.compile("[\\p{Graph}]+");
    private static final Set<String> DIRECTIONS = Set.of("TOWARDS", "AWAY", "UNKNOWN");

    public boolean wildcard() {
        return vrm != null && Wildcards.isPattern(vrm);
    }

    /** The same search from another cursor. */
    public SearchQuery after(Cursor next) {
        return new SearchQuery(vrm, fuzzy, from, to, cameras, direction, bbox, pageSize, next);
    }

    /** The parameters for the audit row and the export manifest (the searched plate included: the auditor must see it). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (vrm != null) {
            m.put("vrm", vrm);
        }
        m.put("match", vrm == null ? "any" : (wildcard() ? "wildcard" : "exact") + (fuzzy ? "+fuzzy" : ""));
        m.put("from", from.toString());
        m.put("to", to.toString());
        if (!cameras.isEmpty()) {
            m.put("cameras", cameras);
        }
        if (direction != null) {
            m.put("direction", direction);
        }
        if (bbox != null) {
            m.put("bbox", bbox);
        }
        return m;
    }

    public static SearchQuery of(SearchRequest r, SearchProperties limits, Duration retention) {
        String vrm = plate(r.vrm(), limits);
        Instant from = time("from", r.from());
        Instant to = time("to", r.to());
        if (!from.isBefore(to)) {
            throw new SearchRefusedException("from must be before to");
        }
        if (Duration.between(from, to).compareTo(retention) > 0) {
            throw new SearchRefusedException("the time range may be at most the retention window (" + retention.toDays() + " days)");
        }
        List<String> cameras = new ArrayList<>();
        if (r.cameras() != null) {
            if (r.cameras().size() > limits.maxCameras()) {
                throw new SearchRefusedException("cameras: at most " + limits.maxCameras());
            }
            for (String c : r.cameras()) {
                String id = c == null ? "" : c.strip();
                if (id.isEmpty() || id.length() > MAX_CAMERA_ID || !CAMERA_ID.matcher(id).matches()) {
                    throw new SearchRefusedException("cameras: each a camera id of 1 to " + MAX_CAMERA_ID + " visible characters");
                }
                if (!cameras.contains(id)) {
                    cameras.add(id);
                }
            }
        }
        if (vrm == null && cameras.isEmpty()) {
            throw new SearchRefusedException("give a vrm, or cameras to list every read of those cameras");
        }
        String direction = null;
        if (r.direction() != null && !r.direction().isBlank()) {
            direction = r.direction().strip().toUpperCase(Locale.ROOT);
            if (!DIRECTIONS.contains(direction)) {
                throw new SearchRefusedException("direction: one of TOWARDS, AWAY, UNKNOWN");
            }
        }
        List<Double> bbox = null;
        if (r.bbox() != null && !r.bbox().isEmpty()) {
            bbox = r.bbox();
            if (bbox.size() != 4 || bbox.stream().anyMatch(java.util.Objects::isNull) || bbox.get(0) < -90 || bbox.get(2) > 90 || bbox.get(1) < -180
                    || bbox.get(3) > 180 || bbox.get(0) > bbox.get(2) || bbox.get(1) > bbox.get(3)) {
                throw new SearchRefusedException("bbox: minLat,minLon,maxLat,maxLon in degrees, min <= max");
            }
            bbox = List.copyOf(bbox);
        }
        int size = r.pageSize() == null ? limits.defaultPageSize() : r.pageSize();
        if (size < 1 || size > limits.maxPageSize()) {
            throw new SearchRefusedException("pageSize: 1 to " + limits.maxPageSize());
        }
        Cursor after = r.cursor() == null || r.cursor().isBlank() ? null : Cursor.parse(r.cursor().strip());
        return new SearchQuery(vrm, Boolean.TRUE.equals(r.fuzzy()), from, to, List.copyOf(cameras), direction, bbox, size, after);
    }

    /** The plate as the store keeps it (upper case, letters and digits) plus the wildcards; null when none is given. */
    static String plate(String raw, SearchProperties limits) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > 2 * MAX_VRM) {
            throw new SearchRefusedException("vrm: at most " + MAX_VRM + " characters");
        }
        String v = raw.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
        if (v.isEmpty() || v.length() > MAX_VRM || !VRM.matcher(v).matches()) {
            throw new SearchRefusedException("vrm: letters, digits and the wildcards * and ? only, at most " + MAX_VRM + " characters");
        }
        if (Wildcards.isPattern(v) && Wildcards.literals(v) < limits.minWildcardLiterals()) {
            throw new SearchRefusedException("vrm: a wildcard plate needs at least " + limits.minWildcardLiterals() + " known characters");
        }
        return v;
    }

    private static Instant time(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new SearchRefusedException(field + " is required (ISO 8601, e.g. 2026-01-31T08:00:00Z)");
        }
        if (value.length() > 40) {
            throw new SearchRefusedException(field + ": not an ISO 8601 time");
        }
        try {
            return java.time.OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new SearchRefusedException(field + ": not an ISO 8601 time with offset (e.g. 2026-01-31T08:00:00Z)");
        }
    }
}
