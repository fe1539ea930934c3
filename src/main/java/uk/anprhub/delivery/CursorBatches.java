package uk.anprhub.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A target's cursor over the reads in commit order, and the batches leased from it (V10__delivery_cursor.sql).
 * <p>
 * Each read carries the id of the transaction that wrote it ({@code nas_read.tx}). A new batch is cut forward from
 * the cursor, only among reads whose transaction is below the horizon — the oldest transaction still running when
 * the claim starts ({@code pg_snapshot_xmin(pg_current_snapshot())}): every transaction below it has ended, so every
 * read it wrote is visible to the claim, and none can appear behind the cursor later. A read whose transaction
 * commits late holds the horizon back until it commits: it is delivered late, never skipped.
 * <p>
 * Cutting a batch is one short transaction: the cursor moves past it and one {@code delivery_batch} row records its
 * range with a lease, so a hub that dies with the batch in flight leaves it to be sent again after the lease, and
 * several workers and hubs pipeline batches. A batch due again (lease over, or retry time reached after a failed
 * send) is re-leased before anything new is cut; if fewer of its reads fit than it holds, it is split and the rest
 * stays due. (id, attempts) is the lease token: a worker whose lease ran out and was taken over records nothing.
 */
final class CursorBatches {

    // A read's size on the wire, estimated as the row outbox does: its JSON, plus its pictures in base64 (4/3).
    private static final String COLUMNS = """
            select id, read_id, captured_at, camera_id, body::text, tx::text as read_tx,
                   4 * ((case when jsonb_typeof(body #> '{plateImage,bytes}') = 'number'
                              then (body #>> '{plateImage,bytes}')::bigint else 0 end + 2) / 3)
                   + 4 * ((case when jsonb_typeof(body #> '{overviewImage,bytes}') = 'number'
                                then (body #>> '{overviewImage,bytes}')::bigint else 0 end + 2) / 3) as pictures
            from nas_read""";
    // tx is aliased in the output (read_tx): "order by tx" must mean the column, not the text (which hides the index).
    private static final String AFTER_CURSOR = COLUMNS
            + " where (tx, id) > (?::xid8, ?) and tx < ?::xid8 order by tx, id limit ?";
    private static final String IN_RANGE = COLUMNS
            + " where (tx, id) > (?::xid8, ?) and (tx, id) <= (?::xid8, ?) order by tx, id limit ?";
    /** A position in commit order. */
    record Position(String tx, long id) {
    }

    private record Row(Position at, Claimed read) {
    }

    /** Reads fetched from a range: those that fit the limits, and whether more were left behind. */
    private record Fetched(List<Row> rows, boolean more) {
        Position last() {
            return rows.get(rows.size() - 1).at();
        }

        List<Claimed> reads() {
            return rows.stream().map(Row::read).toList();
        }
    }

    private CursorBatches() {
    }

    /** Claims rows of {@code delivery} (retries of their own, replays) within the claim's transaction. */
    interface Rows {
        DeliveryStore.Claim claim(Connection c) throws SQLException;
    }

    private static final DeliveryStore.Claim NOTHING = new DeliveryStore.Claim(List.of(), false, null);

    // One look at all a claim may take, the cursor locked only when something is there: the horizon (this statement's
    // snapshot is taken before the transaction has an id, so the claim never holds its own horizon back), a batch
    // due again, rows due, reads past the cursor below the horizon. An idle poll gets no row and locks (writes)
    // nothing. The probes are correlated subqueries, so the cursor reaches the (tx, id) index as parameters of an
    // index probe, never as a join (planned as a scan of every partition); "offset 0" keeps each probe run once.
    // A claimer that waited for the lock gets the cursor another claimer moved, the probes redone against it.
    private static final String LOOK = """
            select p.horizon::text as h, t.cursor_tx::text as c_tx, t.cursor_id, p.batch_due, p.rows_due
            from delivery_target t cross join lateral (
                select pg_snapshot_xmin(pg_current_snapshot()) as horizon,
                       exists (select 1 from delivery_batch b where b.target = t.id and b.lease_until <= now()) as batch_due,
                       exists (select 1 from delivery d where d.target = t.id and d.status = 'PENDING'
                                   and d.next_attempt_at <= now()) as rows_due,
                       t.cursor_tx is not null and exists (select 1 from nas_read n
                           where (n.tx, n.id) > (t.cursor_tx, t.cursor_id) and n.tx < pg_snapshot_xmin(pg_current_snapshot())
                           order by n.tx, n.id limit 1) as reads
                offset 0) p
            where t.id = ? and (p.batch_due or p.rows_due or p.reads)
            for update of t""";
    // The new batch's lease row and the cursor's move in one statement.
    private static final String CUT = """
            with b as (
                insert into delivery_batch (target, from_tx, from_id, to_tx, to_id, attempts, lease_until)
                values (?, ?::xid8, ?, ?::xid8, ?, 1, now() + ? * interval '1 millisecond') returning id),
            m as (update delivery_target set cursor_tx = ?::xid8, cursor_id = ? where id = ?)
            select id from b""";

    /**
     * One claim in one transaction: a cursor batch due again first (a crashed worker's, or one waiting out a retry),
     * then reads due as rows of their own, then a new batch cut from the cursor; nothing at all (and nothing written)
     * when none of them waits.
     */
    static DeliveryStore.Claim claim(Connection c, String target, int limit, long maxBytes, Duration lease, Rows rows)
            throws SQLException {
        c.setAutoCommit(false);
        try {
            DeliveryStore.Claim claim = claimIn(c, target, limit, maxBytes, lease, rows);
            c.commit();
            return claim;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static DeliveryStore.Claim claimIn(Connection c, String target, int limit, long maxBytes, Duration lease,
                                               Rows rows) throws SQLException {
        String horizon;
        Position cursor;
        boolean batchDue;
        boolean rowsDue;
        try (PreparedStatement s = c.prepareStatement(LOOK)) {
            s.setString(1, target);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return NOTHING;
                }
                horizon = rs.getString(1);
                cursor = rs.getString(2) == null ? null : new Position(rs.getString(2), rs.getLong(3));
                batchDue = rs.getBoolean(4);
                rowsDue = rs.getBoolean(5);
            }
        }
        if (batchDue) {
            DeliveryStore.Claim due = due(c, target, limit, maxBytes, lease);
            if (due != null) {
                return due;
            }
        }
        if (rowsDue) {
            DeliveryStore.Claim claimed = rows.claim(c);
            if (!claimed.reads().isEmpty()) {
                return claimed;
            }
        }
        if (cursor == null) {
            return NOTHING;
        }
        // The lock (taken by LOOK) orders the claimers of one target: each cuts after the cursor the previous one moved.
        Fetched f = fetch(c, AFTER_CURSOR, cursor, null, horizon, limit, maxBytes, 1);
        if (f.rows().isEmpty()) {
            return NOTHING;
        }
        long id;
        try (PreparedStatement s = c.prepareStatement(CUT)) {
            s.setString(1, target);
            s.setString(2, cursor.tx());
            s.setLong(3, cursor.id());
            s.setString(4, f.last().tx());
            s.setLong(5, f.last().id());
            s.setLong(6, lease.toMillis());
            s.setString(7, f.last().tx());
            s.setLong(8, f.last().id());
            s.setString(9, target);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        return new DeliveryStore.Claim(f.reads(), f.more(), new DeliveryStore.Lease(id, 1));
    }

    /** Re-leases the oldest due batch (split to fit the limits); null when none is due. In the claim's transaction. */
    private static DeliveryStore.Claim due(Connection c, String target, int limit, long maxBytes, Duration lease) throws SQLException {
        for (int empty = 0; empty < 16; empty++) {
            long id;
            int attempts;
            Position from;
            Position to;
            String lastError;
            try (PreparedStatement s = c.prepareStatement("""
                    select id, attempts, from_tx::text as f_tx, from_id, to_tx::text as t_tx, to_id, last_error
                    from delivery_batch where target = ? and lease_until <= now()
                    order by id limit 1 for update skip locked""")) {
                s.setString(1, target);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    id = rs.getLong(1);
                    attempts = rs.getInt(2);
                    from = new Position(rs.getString(3), rs.getLong(4));
                    to = new Position(rs.getString(5), rs.getLong(6));
                    lastError = rs.getString(7);
                }
            }
            Fetched f = fetch(c, IN_RANGE, from, to, null, limit, maxBytes, attempts + 1);
            if (f.rows().isEmpty()) { // retention dropped its reads meanwhile: nothing left to send
                update(c, "delete from delivery_batch where id = ?", id);
                continue;
            }
            if (f.more()) { // this claim takes the first part; the rest stays a due batch of its own
                try (PreparedStatement s = c.prepareStatement("""
                        insert into delivery_batch (target, from_tx, from_id, to_tx, to_id, attempts, lease_until, last_error)
                        values (?, ?::xid8, ?, ?::xid8, ?, ?, now(), ?)""")) {
                    s.setString(1, target);
                    s.setString(2, f.last().tx());
                    s.setLong(3, f.last().id());
                    s.setString(4, to.tx());
                    s.setLong(5, to.id());
                    s.setInt(6, attempts);
                    s.setString(7, lastError);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    update delivery_batch set to_tx = ?::xid8, to_id = ?, attempts = attempts + 1,
                        lease_until = now() + ? * interval '1 millisecond' where id = ?""")) {
                s.setString(1, f.last().tx());
                s.setLong(2, f.last().id());
                s.setLong(3, lease.toMillis());
                s.setLong(4, id);
                s.executeUpdate();
            }
            return new DeliveryStore.Claim(f.reads(), true, new DeliveryStore.Lease(id, attempts + 1));
        }
        return null;
    }

    /**
     * The batch failed as a whole (every read to be retried, or released): it stays one row, due again after
     * {@code delay}. False when the lease was lost (another worker took the batch over).
     */
    static boolean retryLater(Connection c, DeliveryStore.Lease lease, Duration delay, String error) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                update delivery_batch set lease_until = now() + ? * interval '1 millisecond', last_error = ?
                where id = ? and attempts = ?""")) {
            s.setLong(1, delay.toMillis());
            s.setString(2, error);
            s.setLong(3, lease.batch());
            s.setInt(4, lease.attempts());
            return s.executeUpdate() == 1;
        }
    }

    /** The batch is done with (its exceptions become rows); false when the lease was lost and another worker owns it. */
    static boolean finish(Connection c, DeliveryStore.Lease lease) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("delete from delivery_batch where id = ? and attempts = ?")) {
            s.setLong(1, lease.batch());
            s.setInt(2, lease.attempts());
            return s.executeUpdate() == 1;
        }
    }

    /** Reads past the cursor or in a batch, and when the first of them was stored (null when none waits). */
    record Waiting(long reads, java.time.Instant oldest) {
    }

    /**
     * What waits on the cursor side: a range count past the cursor and one per batch (each an index range with
     * literal bounds, so the planner always uses {@code (tx, id)}), the first read's stored_at of each.
     */
    static Waiting waiting(Connection c, String target) throws SQLException {
        List<Position[]> ranges = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "select cursor_tx::text as c_tx, cursor_id from delivery_target where id = ?")) {
            s.setString(1, target);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    ranges.add(new Position[] {new Position(rs.getString(1), rs.getLong(2)), null});
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                select from_tx::text as f_tx, from_id, to_tx::text as t_tx, to_id from delivery_batch where target = ?""")) {
            s.setString(1, target);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ranges.add(new Position[] {new Position(rs.getString(1), rs.getLong(2)), new Position(rs.getString(3), rs.getLong(4))});
                }
            }
        }
        long reads = 0;
        java.time.Instant oldest = null;
        for (Position[] r : ranges) {
            String upTo = r[1] == null ? "" : " and (tx, id) <= (?::xid8, ?)";
            try (PreparedStatement s = c.prepareStatement("select count(*), (select stored_at from nas_read "
                    + "where (tx, id) > (?::xid8, ?)" + upTo + " order by tx, id limit 1) from nas_read where (tx, id) > (?::xid8, ?)" + upTo)) {
                int i = 1;
                for (int twice = 0; twice < 2; twice++) {
                    s.setString(i++, r[0].tx());
                    s.setLong(i++, r[0].id());
                    if (r[1] != null) {
                        s.setString(i++, r[1].tx());
                        s.setLong(i++, r[1].id());
                    }
                }
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    reads += rs.getLong(1);
                    java.sql.Timestamp first = rs.getTimestamp(2);
                    if (first != null && (oldest == null || first.toInstant().isBefore(oldest))) {
                        oldest = first.toInstant();
                    }
                }
            }
        }
        return new Waiting(reads, oldest);
    }

    /** Reads after {@code from} (up to {@code to}, or below {@code horizon}) in commit order, within the limits. */
    private static Fetched fetch(Connection c, String sql, Position from, Position to, String horizon, int limit,
                                 long maxBytes, int attempts) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, from.tx());
            s.setLong(i++, from.id());
            if (to != null) {
                s.setString(i++, to.tx());
                s.setLong(i++, to.id());
            } else {
                s.setString(i++, horizon);
            }
            s.setInt(i, limit + 1); // one more: tells whether the batch is full
            List<Row> rows = new ArrayList<>(Math.min(limit, 1000));
            long bytes = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String body = rs.getString(5);
                    long size = body.length() + 64L + rs.getLong(7);
                    if (rows.size() >= limit || !rows.isEmpty() && bytes + size > maxBytes) {
                        return new Fetched(rows, true);
                    }
                    bytes += size;
                    rows.add(new Row(new Position(rs.getString(6), rs.getLong(1)), new Claimed(rs.getObject(2, UUID.class),
                            rs.getTimestamp(3).toInstant(), attempts, rs.getString(4), body)));
                }
            }
            return new Fetched(rows, false);
        }
    }

    private static void update(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            s.executeUpdate();
        }
    }
}
