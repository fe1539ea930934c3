package uk.anprhub.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Runs a {@link SearchQuery} against the store: one keyset page, and each hit as the API shows it. */
@Component
public class ReadSearch {

    /** Image kinds a read may have, with the field of the canonical read that describes each. */
    static final Map<String, String> IMAGE_FIELDS = Map.of("plate", "plateImage", "overview", "overviewImage");

    /** One stored read that matched. {@code body} is the canonical read as stored (JSON text). */
    public record Hit(long id, UUID readId, java.time.Instant capturedAt, String cameraId, String vrm, String body) {
        Cursor cursor() {
            return new Cursor(capturedAt, id);
        }
    }

    /** A page of hits, newest first; {@code next} is null on the last page. */
    public record Page(List<Hit> hits, Cursor next) {
    }

    static final RowMapper<Hit> HIT = (rs, i) -> new Hit(rs.getLong("id"), rs.getObject("read_id", UUID.class),
            rs.getTimestamp("captured_at").toInstant(), rs.getString("camera_id"), rs.getString("vrm"), rs.getString("body"));

    private final JdbcTemplate jdbc;
    private final CameraRegistry cameras;
    private final ObjectMapper mapper;

    public ReadSearch(JdbcTemplate jdbc, CameraRegistry cameras, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.cameras = cameras;
        this.mapper = mapper;
    }

    public Page page(SearchQuery q) {
        ReadFilter f = ReadFilter.of(q);
        List<Hit> rows = jdbc.query(f.pageSql(q.pageSize() + 1), HIT, f.params().toArray());
        if (rows.size() <= q.pageSize()) {
            return new Page(rows, null);
        }
        List<Hit> page = List.copyOf(rows.subList(0, q.pageSize()));
        return new Page(page, page.get(page.size() - 1).cursor());
    }

    /** How many reads match, counting no further than {@code cap + 1}. */
    public int count(SearchQuery q, int cap) {
        ReadFilter f = ReadFilter.of(q);
        Integer n = jdbc.queryForObject(f.countSql(cap), Integer.class, f.params().toArray());
        return n == null ? 0 : n;
    }

    /** The hits as the API answers them: the canonical read, its camera and site, links to its pictures. */
    public List<Map<String, Object>> present(List<Hit> hits) {
        Map<String, Camera> byId = cameras.cameras().stream()
                .collect(Collectors.toMap(Camera::cameraId, Function.identity(), (a, b) -> a));
        List<Map<String, Object>> out = new ArrayList<>(hits.size());
        for (Hit h : hits) {
            JsonNode read = parse(h.body());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("readId", h.readId());
            m.put("capturedAt", h.capturedAt().toString());
            m.put("vrm", h.vrm());
            m.put("cameraId", h.cameraId());
            m.put("camera", camera(byId.get(h.cameraId()), read));
            m.put("images", imageLinks(h.readId(), read));
            m.put("read", read);
            out.add(m);
        }
        return out;
    }

    /** Links to the pictures the read has (an image reference with a hash: the bytes are in the store). */
    static Map<String, String> imageLinks(UUID readId, JsonNode read) {
        Map<String, String> links = new LinkedHashMap<>();
        IMAGE_FIELDS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (read.path(e.getValue()).hasNonNull("sha256")) {
                links.put(e.getKey(), "/api/v1/reads/" + readId + "/images/" + e.getKey());
            }
        });
        return links;
    }

    private static Map<String, Object> camera(Camera c, JsonNode read) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (c != null) {
            put(m, "name", c.device().name());
            put(m, "sourceId", c.sourceId());
            put(m, "feedId", c.feedId());
            put(m, "vendor", c.vendor());
            put(m, "latitude", c.latitude());
            put(m, "longitude", c.longitude());
        } else { // no longer (or never) in the registry: what the read itself says
            put(m, "sourceId", read.path("sourceId").textValue());
            put(m, "feedId", read.path("feedId").textValue());
            if (read.has("latitude")) {
                m.put("latitude", read.get("latitude").doubleValue());
                m.put("longitude", read.path("longitude").doubleValue());
            }
        }
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    JsonNode parse(String body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One read by its id, or null. */
    public Hit find(UUID readId) {
        List<Hit> rows = jdbc.query("select r.id, r.read_id, r.captured_at, r.camera_id, r.vrm, r.body::text as body "
                + "from nas_read r where r.read_id = ?", HIT, readId);
        return rows.isEmpty() ? null : rows.get(0);
    }

}
