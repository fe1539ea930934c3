package uk.anprhub.search;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Convoy analysis: the sightings of a target plate in a time range (at most {@code convoyMaxSightings}, oldest
 * first), and for each the reads at the same camera within ±T (index {@code nas_read_camera}); a plate counts once
 * per target sighting it accompanied. Plates accompanying at least N sightings are returned, most often first.
 */
@Component
public class Convoy {

    /** A checked convoy search. */
    public record Query(String vrm, Instant from, Instant to, int windowSeconds, int minCount) {
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vrm", vrm);
            m.put("from", from.toString());
            m.put("to", to.toString());
            m.put("windowSeconds", windowSeconds);
            m.put("minCount", minCount);
            return m;
        }
    }

    /** One accompanying vehicle: how many target sightings it was near, at how many cameras, first and last time. */
    public record Companion(String vrm, int together, int cameras, Instant firstSeen, Instant lastSeen) {
    }

    public record Result(int targetSightings, boolean targetTruncated, List<Companion> vehicles) {
    }

    private static final String SQL = """
            with t as (
                select camera_id, captured_at from nas_read
                 where vrm = ? and captured_at >= ? and captured_at < ?
                 order by captured_at limit ?)
            select r.vrm, count(distinct (t.camera_id, t.captured_at)) as together, count(distinct t.camera_id) as cameras,
                   min(r.captured_at) as first_seen, max(r.captured_at) as last_seen
              from t join nas_read r on r.camera_id = t.camera_id
               and r.captured_at between t.captured_at - make_interval(secs => ?) and t.captured_at + make_interval(secs => ?)
             where r.vrm <> ?
             group by r.vrm
            having count(distinct (t.camera_id, t.captured_at)) >= ?
             order by together desc, cameras desc, r.vrm
             limit ?""";

    private final JdbcTemplate jdbc;
    private final SearchProperties limits;

    public Convoy(JdbcTemplate jdbc, SearchProperties limits) {
        this.jdbc = jdbc;
        this.limits = limits;
    }

    public static Query check(ConvoyRequest r, SearchProperties limits, Duration retention) {
        String vrm = SearchQuery.plate(r.vrm(), limits);
        if (vrm == null || Wildcards.isPattern(vrm)) {
            throw new SearchRefusedException("vrm: the target's full plate is required (no wildcards)");
        }
        SearchQuery range = SearchQuery.of(new SearchRequest(vrm, false, r.from(), r.to(), null, null, null, null, null,
                null, null, null, null, null), limits, retention);
        int window = r.windowSeconds() == null ? 60 : r.windowSeconds();
        if (window < 1 || window > limits.convoyMaxWindow().toSeconds()) {
            throw new SearchRefusedException("windowSeconds: 1 to " + limits.convoyMaxWindow().toSeconds());
        }
        int min = r.minCount() == null ? 2 : r.minCount();
        if (min < 1 || min > limits.convoyMaxSightings()) {
            throw new SearchRefusedException("minCount: 1 to " + limits.convoyMaxSightings());
        }
        return new Query(vrm, range.from(), range.to(), window, min);
    }

    public Result run(Query q) {
        Integer sightings = jdbc.queryForObject("""
                select count(*) from (select 1 from nas_read where vrm = ? and captured_at >= ? and captured_at < ? limit ?) s""",
                Integer.class, q.vrm(), Timestamp.from(q.from()), Timestamp.from(q.to()), limits.convoyMaxSightings() + 1);
        int n = sightings == null ? 0 : sightings;
        List<Companion> vehicles = jdbc.query(SQL, (rs, i) -> new Companion(rs.getString("vrm"), rs.getInt("together"),
                        rs.getInt("cameras"), rs.getTimestamp("first_seen").toInstant(), rs.getTimestamp("last_seen").toInstant()),
                q.vrm(), Timestamp.from(q.from()), Timestamp.from(q.to()), limits.convoyMaxSightings(),
                (double) q.windowSeconds(), (double) q.windowSeconds(), q.vrm(), q.minCount(), limits.convoyMaxResults());
        return new Result(Math.min(n, limits.convoyMaxSightings()), n > limits.convoyMaxSightings(), vehicles);
    }
}
