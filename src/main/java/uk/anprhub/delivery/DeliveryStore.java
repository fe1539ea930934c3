package uk.anprhub.delivery;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The outbox tables (V2__delivery.sql): claiming with {@code FOR UPDATE SKIP LOCKED} and a lease, recording
 * outcomes, the gauges' figures and target pause state. Plain JDBC with array parameters: one statement per step
 * whatever the batch size.
 */
public final class DeliveryStore {

    // The inner select locks rows no other claimer holds; the update turns the lock into a lease (next_attempt_at)
    // that outlives this short transaction, so nothing is held open while the batch travels. Of the locked rows only
    // the oldest that fit in the byte budget are leased (always at least one); the others are unlocked at commit,
    // untouched. A read's size is estimated from its stored JSON and the picture sizes it records (base64: 4/3),
    // so no picture is read to claim.
    private static final String CLAIM = """
            with c as (
                select target, read_id, captured_at, created_at, read_pk from delivery
                where target = ? and status = 'PENDING' and next_attempt_at <= now()
                order by created_at limit ? for update skip locked),
            s as (
                select c.*, row_number() over w as n, sum(coalesce(z.bytes, 0)) over w as upto
                from c left join lateral (
                    select octet_length(r.body::text) + 64
                           + 4 * ((case when jsonb_typeof(r.body #> '{plateImage,bytes}') = 'number'
                                        then (r.body #>> '{plateImage,bytes}')::bigint else 0 end + 2) / 3)
                           + 4 * ((case when jsonb_typeof(r.body #> '{overviewImage,bytes}') = 'number'
                                        then (r.body #>> '{overviewImage,bytes}')::bigint else 0 end + 2) / 3) as bytes
                    from nas_read r where r.id = c.read_pk and r.captured_at = c.captured_at) z on true
                window w as (order by c.created_at, c.read_id rows unbounded preceding)),
            u as (
                update delivery d set next_attempt_at = now() + ? * interval '1 millisecond', attempts = d.attempts + 1
                from s where (s.n = 1 or s.upto <= ?)
                    and d.target = s.target and d.read_id = s.read_id and d.captured_at = s.captured_at
                returning d.read_id, d.captured_at, d.attempts, d.read_pk)
            select u.read_id, u.captured_at, u.attempts, n.camera_id, n.body::text, (select count(*) from c)
            from u left join nas_read n on n.id = u.read_pk and n.captured_at = u.captured_at""";
    private static final String DELIVERED = """
            update delivery d set status = 'DELIVERED', delivered_at = now(), last_error = null
            from unnest(?::text[]::uuid[], ?::text[]::timestamptz[]) u(id, at)
            where d.target = ? and d.read_id = u.id and d.captured_at = u.at and d.status = 'PENDING'""";
    private static final String RETRY = """
            update delivery d set next_attempt_at = now() + u.delay * interval '1 millisecond', last_error = u.error
            from unnest(?::text[]::uuid[], ?::text[]::timestamptz[], ?::bigint[], ?::text[]) u(id, at, delay, error)
            where d.target = ? and d.read_id = u.id and d.captured_at = u.at and d.status = 'PENDING'""";
    private static final String DEAD = """
            with dead as (
                update delivery d set status = 'DEAD', last_error = u.reason
                from unnest(?::text[]::uuid[], ?::text[]::timestamptz[], ?::text[], ?::text[], ?::text[]) u(id, at, camera, reason, response)
                where d.target = ? and d.read_id = u.id and d.captured_at = u.at and d.status = 'PENDING'
                returning d.target, d.read_id, d.captured_at, d.attempts, u.camera, u.reason, u.response)
            insert into dead_letter (target, read_id, captured_at, camera_id, attempts, reason, response)
            select target, read_id, captured_at, coalesce(camera, '?'), attempts, reason, response from dead""";

    public record Retry(Claimed read, Duration delay, String error) {
    }

    public record Dead(Claimed read, String reason, String response) {
    }

    /** @param oldestPending when the oldest undelivered read was queued, null when none is */
    public record Figures(long backlog, Instant oldestPending, long deadLetters) {
    }

    public record TargetRow(String id, boolean enabled, boolean paused, String pausedReason, String pausedBy, Instant pausedAt) {
    }

    private final DataSource dataSource;

    public DeliveryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * One claim: the reads leased, and whether it stopped at a limit (count or bytes) rather than at the end of the
     * eligible backlog — then more is waiting and the worker claims again at once.
     */
    public record Claim(List<Claimed> reads, boolean full) {
    }

    /** Leases the oldest eligible reads: at most {@code limit}, and at most {@code maxBytes} on the wire (at least one). */
    public Claim claim(String target, int limit, long maxBytes, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(CLAIM)) {
            s.setString(1, target);
            s.setInt(2, limit);
            s.setLong(3, lease.toMillis());
            s.setLong(4, maxBytes);
            List<Claimed> out = new ArrayList<>(Math.min(limit, 1000));
            long locked = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getInt(3),
                            rs.getString(4), rs.getString(5)));
                    locked = rs.getLong(6);
                }
            }
            return new Claim(out, out.size() >= limit || out.size() < locked);
        }
    }

    /** Records a batch's outcome in one transaction; only rows still PENDING change (a replay or lease loss wins). */
    public void complete(String target, Collection<Claimed> delivered, Collection<Retry> retries, Collection<Dead> dead) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!delivered.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement(DELIVERED)) {
                        s.setArray(1, uuids(c, delivered, Function.identity()));
                        s.setArray(2, times(c, delivered, Function.identity()));
                        s.setString(3, target);
                        s.executeUpdate();
                    }
                }
                if (!retries.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement(RETRY)) {
                        s.setArray(1, uuids(c, retries, Retry::read));
                        s.setArray(2, times(c, retries, Retry::read));
                        s.setArray(3, c.createArrayOf("int8", retries.stream().map(r -> r.delay().toMillis()).toArray()));
                        s.setArray(4, c.createArrayOf("text", retries.stream().map(Retry::error).toArray()));
                        s.setString(5, target);
                        s.executeUpdate();
                    }
                }
                if (!dead.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement(DEAD)) {
                        s.setArray(1, uuids(c, dead, Dead::read));
                        s.setArray(2, times(c, dead, Dead::read));
                        s.setArray(3, c.createArrayOf("text", dead.stream().map(d -> d.read().cameraId()).toArray()));
                        s.setArray(4, c.createArrayOf("text", dead.stream().map(Dead::reason).toArray()));
                        s.setArray(5, c.createArrayOf("text", dead.stream().map(Dead::response).toArray()));
                        s.setString(6, target);
                        s.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Drops delivery rows whose read retention deleted meanwhile (nothing left to send). */
    public void forget(String target, Collection<Claimed> gone) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "delete from delivery d using unnest(?::text[]::uuid[], ?::text[]::timestamptz[]) u(id, at) "
                        + "where d.target = ? and d.read_id = u.id and d.captured_at = u.at")) {
            s.setArray(1, uuids(c, gone, Function.identity()));
            s.setArray(2, times(c, gone, Function.identity()));
            s.setString(3, target);
            s.executeUpdate();
        }
    }

    public Figures figures(String target) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select (select count(*) from delivery where target = ? and status = 'PENDING'),
                       (select min(created_at) from delivery where target = ? and status = 'PENDING'),
                       (select count(*) from dead_letter where target = ? and status = 'DEAD')""")) {
            s.setString(1, target);
            s.setString(2, target);
            s.setString(3, target);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                Timestamp oldest = rs.getTimestamp(2);
                return new Figures(rs.getLong(1), oldest == null ? null : oldest.toInstant(), rs.getLong(3));
            }
        }
    }

    /** Makes {@code delivery_target} match the configuration: which targets new reads are queued for. */
    public void syncTargets(Map<String, Boolean> enabled) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("""
                    insert into delivery_target (id, enabled) values (?, ?)
                    on conflict (id) do update set enabled = excluded.enabled""")) {
                for (var e : enabled.entrySet()) {
                    s.setString(1, e.getKey());
                    s.setBoolean(2, e.getValue());
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("update delivery_target set enabled = false where not (id = any(?))")) {
                s.setArray(1, c.createArrayOf("text", enabled.keySet().toArray()));
                s.executeUpdate();
            }
        }
    }

    public TargetRow target(String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select id, enabled, paused, paused_reason, paused_by, paused_at from delivery_target where id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return new TargetRow(id, false, false, null, null, null);
                }
                Timestamp at = rs.getTimestamp(6);
                return new TargetRow(id, rs.getBoolean(2), rs.getBoolean(3), rs.getString(4), rs.getString(5),
                        at == null ? null : at.toInstant());
            }
        }
    }

    public void setPaused(String id, boolean paused, String reason, String by) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                update delivery_target set paused = ?, paused_reason = ?, paused_by = ?, paused_at = case when ? then now() end
                where id = ?""")) {
            s.setBoolean(1, paused);
            s.setString(2, paused ? reason : null);
            s.setString(3, paused ? by : null);
            s.setBoolean(4, paused);
            s.setString(5, id);
            s.executeUpdate();
        }
    }

    private static <T> Array uuids(Connection c, Collection<T> rows, Function<T, Claimed> read) throws SQLException {
        return c.createArrayOf("text", rows.stream().map(r -> read.apply(r).readId().toString()).toArray());
    }

    private static <T> Array times(Connection c, Collection<T> rows, Function<T, Claimed> read) throws SQLException {
        return c.createArrayOf("text", rows.stream().map(r -> read.apply(r).capturedAt().toString()).toArray());
    }
}
