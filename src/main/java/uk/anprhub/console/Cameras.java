package uk.anprhub.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cameras MBean: last read received per camera, from the reads table. Computed lazily when someone looks
 * (Hawtio polls while the MBean is open) and cached for {@link #MAX_AGE}, so a console left open costs one query
 * per 30 s at most.
 */
public final class Cameras implements CamerasMBean {

    static final Duration MAX_AGE = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(Cameras.class);

    private final CameraRegistry registry;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private Figures figures;

    public Cameras(CameraRegistry registry, JdbcTemplate jdbc, Clock clock) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** What one query found: last read received per camera id. */
    private record Figures(Instant at, Map<String, Instant> lastSeen) {
    }

    private synchronized Figures figures() {
        Instant now = clock.instant();
        if (figures == null || figures.at().plus(MAX_AGE).isBefore(now)) {
            Map<String, Instant> last = new TreeMap<>();
            try {
                jdbc.query("select camera_id, max(received_at) from nas_read group by camera_id",
                        rs -> {
                            last.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                        });
            } catch (DataAccessException e) {
                // the MBean shows stale figures (ComputedAt says how old) rather than failing Hawtio's page
                log.warn("Cameras MBean: store not readable ({})", e.getClass().getSimpleName());
                return figures != null ? figures : new Figures(now, Map.of());
            }
            figures = new Figures(now, last);
        }
        return figures;
    }

    @Override
    public int getRegistered() {
        return registry.size();
    }

    @Override
    public int getSeenInLastHour() {
        Figures f = figures();
        Instant hourAgo = f.at().minus(Duration.ofHours(1));
        return (int) f.lastSeen().values().stream().filter(t -> t.isAfter(hourAgo)).count();
    }

    @Override
    public int getNotSeenInLastHour() {
        Figures f = figures();
        Instant hourAgo = f.at().minus(Duration.ofHours(1));
        return (int) registry.cameras().stream().map(Camera::cameraId)
                .filter(id -> f.lastSeen().get(id) == null || !f.lastSeen().get(id).isAfter(hourAgo)).count();
    }

    @Override
    public String[] getLastSeen() {
        Figures f = figures();
        Map<String, Instant> all = new TreeMap<>(f.lastSeen());
        for (Camera c : registry.cameras()) {
            all.putIfAbsent(c.cameraId(), null);
        }
        List<String> lines = new ArrayList<>(all.size());
        all.forEach((id, t) -> lines.add(id + " " + (t == null ? "never" : t.truncatedTo(ChronoUnit.SECONDS))));
        return lines.toArray(String[]::new);
    }

    @Override
    public String getComputedAt() {
        return figures().at().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
