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
 * The outbox: a cursor per target over the reads in commit order, batches leased from it
 * ({@link CursorBatches}, V10__delivery_cursor.sql), and rows only for the exceptions (V2__delivery.sql: a read
 * retried on its own, a dead letter, a replay) claimed with {@code FOR UPDATE SKIP LOCKED} and a lease; recording
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

    // A cursor batch's exceptions become rows of their own, as if queued by the row outbox and claimed that often.
    private static final String BATCH_RETRY = """
            insert into delivery (target, read_id, captured_at, read_pk, attempts, next_attempt_at, last_error)
            select ?, n.read_id, n.captured_at, n.id, u.attempts, now() + u.delay * interval '1 millisecond', u.error
            from unnest(?::text[]::uuid[], ?::text[]::timestamptz[], ?::int[], ?::bigint[], ?::text[]) u(id, at, attempts, delay, error)
            join nas_read n on n.read_id = u.id and n.captured_at = u.at
            on conflict (target, read_id, captured_at) do nothing""";
    private static final String BATCH_DEAD = """
            with u as (
                select * from unnest(?::text[]::uuid[], ?::text[]::timestamptz[], ?::int[], ?::text[], ?::text[], ?::text[])
                    u(id, at, attempts, camera, reason, response)),
            d as (
                insert into delivery (target, read_id, captured_at, read_pk, attempts, status, last_error)
                select ?, n.read_id, n.captured_at, n.id, u.attempts, 'DEAD', u.reason
                from u join nas_read n on n.read_id = u.id and n.captured_at = u.at
                on conflict (target, read_id, captured_at) do nothing
                returning target, read_id, captured_at, attempts)
            insert into dead_letter (target, read_id, captured_at, camera_id, attempts, reason, response)
            select d.target, d.read_id, d.captured_at, coalesce(u.camera, '?'), d.attempts, u.reason, u.response
            from d join u on u.id = d.read_id and u.at = d.captured_at""";

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

    /** A batch cut from the cursor: its {@code delivery_batch} row and the attempt it is leased for (the lease token). */
    public record Lease(long batch, int attempts) {
    }

    /**
     * One claim: the reads leased, and whether it stopped at a limit (count or bytes) rather than at the end of the
     * eligible backlog — then more is waiting and the worker claims again at once. {@code lease} names the cursor
     * batch the reads came from; null when they are rows of {@code delivery} (retries of their own, replays).
     */
    public record Claim(List<Claimed> reads, boolean full, Lease lease) {
    }

    /**
     * Leases the next reads, at most {@code limit} and at most {@code maxBytes} on the wire (at least one): a cursor
     * batch due again first (a crashed worker's, or one waiting out a retry), then reads due as rows of their own,
     * then a new batch cut from the cursor.
     */
    public Claim claim(String target, int limit, long maxBytes, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return CursorBatches.claim(c, target, limit, maxBytes, lease, in -> claimRows(in, target, limit, maxBytes, lease));
        }
    }

    private Claim claimRows(Connection c, String target, int limit, long maxBytes, Duration lease) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CLAIM)) {
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
            return new Claim(out, out.size() >= limit || out.size() < locked, null);
        }
    }

    /** Records the outcome of reads claimed as rows of {@code delivery} (see {@link #complete(String, Lease, Collection, Collection, Collection)}). */
    public void complete(String target, Collection<Claimed> delivered, Collection<Retry> retries, Collection<Dead> dead) throws SQLException {
        complete(target, null, delivered, retries, dead);
    }

    /**
     * Records a batch's outcome in one transaction. Rows: only rows still PENDING change (a replay or lease loss
     * wins). A cursor batch ({@code lease} not null): delivered reads leave no trace; a batch failed as a whole stays
     * one row, due again after its back-off; otherwise the batch row goes and its retries and dead letters become
     * rows of {@code delivery}. Nothing is recorded for a batch whose lease another worker took over. Safe to repeat.
     */
    public void complete(String target, Lease lease, Collection<Claimed> delivered, Collection<Retry> retries, Collection<Dead> dead) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (lease != null && retries.isEmpty() && dead.isEmpty()) {
                CursorBatches.finish(c, lease); // the common case, one statement: no transaction around it
                return;
            }
            c.setAutoCommit(false);
            try {
                if (lease != null) {
                    completeBatch(c, target, lease, delivered, retries, dead);
                    c.commit();
                    return;
                }
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

    private static void completeBatch(Connection c, String target, Lease lease, Collection<Claimed> delivered,
                                      Collection<Retry> retries, Collection<Dead> dead) throws SQLException {
        if (delivered.isEmpty() && dead.isEmpty() && !retries.isEmpty()) {
            Retry first = retries.iterator().next();
            Duration delay = retries.stream().map(Retry::delay).max(Duration::compareTo).orElse(Duration.ZERO);
            CursorBatches.retryLater(c, lease, delay, first.error());
            return;
        }
        if (!CursorBatches.finish(c, lease)) {
            return; // the lease ran out and another worker has the batch: its verdicts count
        }
        if (!retries.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(BATCH_RETRY)) {
                s.setString(1, target);
                s.setArray(2, uuids(c, retries, Retry::read));
                s.setArray(3, times(c, retries, Retry::read));
                s.setArray(4, c.createArrayOf("int4", retries.stream().map(r -> r.read().attempts()).toArray()));
                s.setArray(5, c.createArrayOf("int8", retries.stream().map(r -> r.delay().toMillis()).toArray()));
                s.setArray(6, c.createArrayOf("text", retries.stream().map(Retry::error).toArray()));
                s.executeUpdate();
            }
        }
        if (!dead.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(BATCH_DEAD)) {
                s.setArray(1, uuids(c, dead, Dead::read));
                s.setArray(2, times(c, dead, Dead::read));
                s.setArray(3, c.createArrayOf("int4", dead.stream().map(d -> d.read().attempts()).toArray()));
                s.setArray(4, c.createArrayOf("text", dead.stream().map(d -> d.read().cameraId()).toArray()));
                s.setArray(5, c.createArrayOf("text", dead.stream().map(Dead::reason).toArray()));
                s.setArray(6, c.createArrayOf("text", dead.stream().map(Dead::response).toArray()));
                s.setString(7, target);
                s.executeUpdate();
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

    /**
     * The target's backlog (pending rows, reads past the cursor, reads in its batches), when the oldest of them was
     * stored or queued, and its dead letters: one consistent snapshot, every count an index range.
     */
    public Figures figures(String target) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // the cursor and its batches as of one moment
            try {
                long backlog;
                Instant oldest;
                long dead;
                try (PreparedStatement s = c.prepareStatement("""
                        select (select count(*) from delivery where target = ? and status = 'PENDING'),
                               (select min(created_at) from delivery where target = ? and status = 'PENDING'),
                               (select count(*) from dead_letter where target = ? and status = 'DEAD')""")) {
                    s.setString(1, target);
                    s.setString(2, target);
                    s.setString(3, target);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        backlog = rs.getLong(1);
                        Timestamp t = rs.getTimestamp(2);
                        oldest = t == null ? null : t.toInstant();
                        dead = rs.getLong(3);
                    }
                }
                CursorBatches.Waiting w = CursorBatches.waiting(c, target);
                c.commit();
                if (w.oldest() != null && (oldest == null || w.oldest().isBefore(oldest))) {
                    oldest = w.oldest();
                }
                return new Figures(backlog + w.reads(), oldest, dead);
            } finally {
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Whether the read still waits for the target: a pending row of its own, past the target's cursor, or in one of
     * its leased batches (for operators and tests: the cursor keeps no row per delivered read).
     */
    public boolean waiting(String target, UUID readId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select exists (select 1 from delivery where target = ? and read_id = ? and status = 'PENDING')
                    or exists (select 1 from nas_read n, delivery_target t where n.read_id = ? and t.id = ?
                               and ((n.tx, n.id) > (t.cursor_tx, t.cursor_id)
                                    or exists (select 1 from delivery_batch b where b.target = t.id
                                               and (n.tx, n.id) > (b.from_tx, b.from_id) and (n.tx, n.id) <= (b.to_tx, b.to_id))))""")) {
            s.setString(1, target);
            s.setObject(2, readId);
            s.setObject(3, readId);
            s.setString(4, target);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Makes {@code delivery_target} match the configuration: which targets new reads are queued for. A target added,
     * or enabled again, starts its cursor now: it gets the reads stored from then on, as the row outbox queued them.
     */
    public void syncTargets(Map<String, Boolean> enabled) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("""
                    insert into delivery_target (id, enabled, cursor_tx, cursor_id)
                    values (?, ?, pg_current_xact_id(), 9223372036854775807)
                    on conflict (id) do update set enabled = excluded.enabled,
                        cursor_tx = case when delivery_target.enabled or not excluded.enabled or delivery_target.cursor_tx is null
                                         then coalesce(delivery_target.cursor_tx, excluded.cursor_tx) else excluded.cursor_tx end,
                        cursor_id = case when delivery_target.enabled or not excluded.enabled or delivery_target.cursor_tx is null
                                         then coalesce(delivery_target.cursor_id, excluded.cursor_id) else excluded.cursor_id end""")) {
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
