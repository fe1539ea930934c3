package uk.anprhub.camerahealth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.store.CommitListener;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps {@link CameraHealth} fed (committed reads from the store's listener hook; at start the last read per
 * registered camera of the last 24 h) and evaluated on a schedule, logging each change: camera id, state, how long
 * silent — never a plate.
 */
final class CameraHealthService implements CommitListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CameraHealthService.class);
    /** One query; the captured_at bound lets PostgreSQL skip old partitions (a read is rarely captured > 1 day before it arrives). */
    private static final String LAST_READS = """
            select distinct on (camera_id) camera_id, received_at, captured_at
            from nas_read
            where camera_id = any(?) and received_at >= ? and captured_at >= ?
            order by camera_id, received_at desc""";

    private final CameraHealth health;
    private final CameraRegistry registry;
    private final ScheduledExecutorService timer;
    private volatile Consumer<List<CameraStatus>> afterEvaluation = s -> { };
    private volatile Consumer<CameraStateChanged> onChange = c -> { };

    CameraHealthService(CameraHealth health, CameraRegistry registry, CameraHealthProperties props) {
        this.health = health;
        this.registry = registry;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anpr-camera-health");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, props.evaluateEvery().toMillis());
        timer.scheduleWithFixedDelay(this::evaluate, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Rebuilds the picture from the store, in the background: the query scans the last day's reads (no index by
     * camera), so start-up does not wait for it; evaluations follow it on the same thread. A store that cannot answer
     * leaves cameras never-seen until their reads arrive.
     */
    void seedInBackground(JdbcTemplate jdbc, Clock clock) {
        timer.execute(() -> seed(jdbc, clock));
    }

    void seed(JdbcTemplate jdbc, Clock clock) {
        health.registered(registry.cameras().stream().map(Camera::cameraId).toList());
        Instant now = clock.instant();
        try {
            String[] ids = registry.cameras().stream().map(Camera::cameraId).toArray(String[]::new);
            int[] n = {0};
            jdbc.query(c -> {
                var ps = c.prepareStatement(LAST_READS);
                ps.setArray(1, c.createArrayOf("text", ids));
                ps.setTimestamp(2, Timestamp.from(now.minus(Duration.ofHours(24))));
                ps.setTimestamp(3, Timestamp.from(now.minus(Duration.ofHours(48))));
                return ps;
            }, rs -> {
                health.seed(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant());
                n[0]++;
            });
            log.info("Camera health: {} registered camera(s), {} with a read in the last 24 h", ids.length, n[0]);
        } catch (RuntimeException e) {
            log.warn("Camera health: last reads not loaded from the store ({}); cameras show never-seen until they send",
                    e.getClass().getSimpleName());
        }
        evaluate();
    }

    /** Called with the statuses after each evaluation (the per-camera gauge). */
    void afterEvaluation(Consumer<List<CameraStatus>> consumer) {
        this.afterEvaluation = consumer;
    }

    /** Told each state or drift change (the alert stream's camera events). */
    void onChange(Consumer<CameraStateChanged> consumer) {
        this.onChange = consumer;
    }

    @Override
    public void committed(List<Committed> reads) {
        health.record(reads);
    }

    void evaluate() {
        try {
            health.registered(registry.cameras().stream().map(Camera::cameraId).toList());
            for (CameraHealth.Change c : health.evaluate()) {
                log(c);
                onChange.accept(new CameraStateChanged(c.cameraId(), c.kind(), c.from(), c.to(),
                        c.silentFor() == null ? null : c.silentFor().toSeconds(), c.driftSeconds(), java.time.Instant.now()));
            }
            afterEvaluation.accept(health.statuses());
        } catch (RuntimeException e) { // keep the schedule alive
            log.warn("Camera health evaluation failed: {}", e.getClass().getName());
        }
    }

    /** One line per change: camera id, state, how long silent; never a plate. */
    private static void log(CameraHealth.Change c) {
        String seconds = c.silentFor() == null ? "?" : String.valueOf(c.silentFor().toSeconds());
        if ("quality".equals(c.kind())) {
            if ("poor".equals(c.to())) {
                log.warn("Camera {} poor reads: too many unreadable or low-confidence plates in its last reads", c.cameraId());
            } else {
                log.info("Camera {} share of poor reads back within the limit", c.cameraId());
            }
        } else if ("rate".equals(c.kind())) {
            if ("quiet".equals(c.to())) {
                log.warn("Camera {} quiet: far fewer reads in the last hour than its baseline for this hour of the week", c.cameraId());
            } else {
                log.info("Camera {} read rate back to its baseline", c.cameraId());
            }
        } else if ("drift".equals(c.kind())) {
            if ("drifting".equals(c.to())) {
                log.warn("Camera {} clock drift {} s (median of received - captured): flagged", c.cameraId(), c.driftSeconds());
            } else {
                log.info("Camera {} clock drift back within the limit ({} s)", c.cameraId(), c.driftSeconds());
            }
        } else if (CameraStatus.SILENT.equals(c.to())) {
            log.warn("Camera {} silent: no read for {} s", c.cameraId(), seconds);
        } else if (CameraStatus.SILENT.equals(c.from())) {
            log.info("Camera {} ok again after {} s silent", c.cameraId(), seconds);
        } else {
            log.info("Camera {} {} (was {})", c.cameraId(), c.to(), c.from());
        }
    }

    List<CameraStatus> statuses() {
        return health.statuses();
    }

    long silent() {
        return health.count(CameraStatus.SILENT);
    }

    long drifting() {
        return health.drifting();
    }

    long poorReads() {
        return health.poorReads();
    }

    long quiet() {
        return health.quiet();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
