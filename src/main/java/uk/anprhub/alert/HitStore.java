package uk.anprhub.alert;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Hits in {@code hotlist_hit}, with their webhook outbox rows written in the same transaction. Raw JDBC: array
 * parameters and several statements on one connection and transaction.
 */
class HitStore {

    /** A read's match to store: the entry's details are copied in from {@code hotlist_entry}. */
    record NewHit(UUID readId, String vrm, String cameraId, Instant capturedAt, Instant committedAt, String listId,
                  long entryId, String match, int priority) {
        @Override
        public String toString() {
            return "NewHit[list=" + listId + ", entry=" + entryId + "]";
        }
    }

    static final String COLUMNS = """
            h.id, h.read_id, h.vrm, h.camera_id, h.captured_at, h.list_id, h.entry_id, h.entry_vrm, h.match, h.priority,
            h.category, h.markers, h.instructions, h.matched_at, h.committed_at, h.acked_at, h.acked_by, h.ack_outcome, h.ack_note""";
    private static final String INSERT = """
            insert into hotlist_hit (read_id, vrm, camera_id, captured_at, committed_at, list_id, entry_id, entry_vrm, match,
                                     priority, category, markers, instructions)
            select n.read_id, n.vrm, n.camera_id, n.captured_at, n.committed_at, n.list_id, e.id, e.vrm, n.match, n.priority,
                   e.category, e.markers, e.instructions
            from unnest(?::text[]::uuid[], ?::text[], ?::text[], ?::text[]::timestamptz[], ?::text[]::timestamptz[],
                        ?::text[], ?::bigint[], ?::text[], ?::int[])
                 as n(read_id, vrm, camera_id, captured_at, committed_at, list_id, entry_id, match, priority)
            join hotlist_entry e on e.id = n.entry_id -- an entry removed since the index was built no longer hits
            on conflict (read_id, entry_id) do nothing -- stored already (a retry whose first try committed): not again
            returning id""";
    private static final String PARK = """
            insert into hotlist_hit_parked (read_id, vrm, camera_id, captured_at, committed_at, list_id, entry_id, match, priority)
            select * from unnest(?::text[]::uuid[], ?::text[], ?::text[], ?::text[]::timestamptz[], ?::text[]::timestamptz[],
                                 ?::text[], ?::bigint[], ?::text[], ?::int[])
            on conflict (read_id, entry_id) do nothing""";

    static final RowMapper<Hit> HIT = (rs, i) -> new Hit(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
            rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getLong(7), rs.getString(8),
            rs.getString(9), rs.getInt(10), rs.getString(11),
            rs.getString(12) == null ? List.of() : Arrays.asList(rs.getString(12).split(";")), rs.getString(13),
            rs.getTimestamp(14).toInstant(), rs.getTimestamp(15).toInstant(),
            rs.getTimestamp(16) == null ? null
                    : new Hit.Ack(rs.getTimestamp(16).toInstant(), rs.getString(17), rs.getString(18), rs.getString(19)));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    HitStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * Stores the hits and queues each for the webhook targets whose lists it belongs to; answers them as stored.
     *
     * @param targets webhook target id → the lists it takes (empty: all)
     */
    List<Hit> insert(List<NewHit> hits, Map<String, Collection<String>> targets) {
        return tx.execute(s -> insertInTransaction(hits, targets));
    }

    /**
     * Parks matches whose hits could not be stored, to be stored by {@link #unpark} later (one transaction; a match
     * parked already is not parked twice).
     */
    void park(List<NewHit> hits) {
        tx.executeWithoutResult(s -> jdbc.update(c -> fill(c.prepareStatement(PARK), c, hits)));
    }

    /**
     * Stores the hits of up to {@code limit} parked matches after id {@code afterId}, oldest first, and removes them
     * from the parking, in one transaction: a failure leaves them parked, a success stores each once. Rows another
     * hub is storing are skipped.
     *
     * @return what was claimed (count, last id) and the hits stored (fewer when an entry was removed meanwhile or the
     *         hit exists)
     */
    Unparked unpark(long afterId, int limit, Map<String, Collection<String>> targets) {
        return tx.execute(s -> {
            List<Long> ids = new ArrayList<>();
            List<NewHit> parked = jdbc.query("""
                    select id, read_id, vrm, camera_id, captured_at, committed_at, list_id, entry_id, match, priority
                    from hotlist_hit_parked where id > ? order by id limit ? for update skip locked""", (rs, i) -> {
                ids.add(rs.getLong(1));
                return new NewHit(rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getLong(8),
                        rs.getString(9), rs.getInt(10));
            }, afterId, limit);
            if (parked.isEmpty()) {
                return new Unparked(0, afterId, List.of());
            }
            List<Hit> stored = insertInTransaction(parked, targets);
            jdbc.update(c -> {
                PreparedStatement ps = c.prepareStatement("delete from hotlist_hit_parked where id = any(?)");
                ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
                return ps;
            });
            return new Unparked(parked.size(), ids.get(ids.size() - 1), stored);
        });
    }

    /** What one {@link #unpark} did. */
    record Unparked(int claimed, long lastId, List<Hit> stored) {
    }

    /** The id of the first parked match after {@code afterId}, or null. */
    Long nextParked(long afterId) {
        return jdbc.queryForObject("select min(id) from hotlist_hit_parked where id > ?", Long.class, afterId);
    }

    /** Matches parked now (all hubs). */
    long parked() {
        Long n = jdbc.queryForObject("select count(*) from hotlist_hit_parked", Long.class);
        return n == null ? 0 : n;
    }

    private static PreparedStatement fill(PreparedStatement ps, Connection c, List<NewHit> hits) throws SQLException {
        ps.setArray(1, c.createArrayOf("text", hits.stream().map(h -> h.readId().toString()).toArray()));
        ps.setArray(2, c.createArrayOf("text", hits.stream().map(NewHit::vrm).toArray()));
        ps.setArray(3, c.createArrayOf("text", hits.stream().map(NewHit::cameraId).toArray()));
        ps.setArray(4, c.createArrayOf("text", hits.stream().map(h -> h.capturedAt().toString()).toArray()));
        ps.setArray(5, c.createArrayOf("text", hits.stream().map(h -> h.committedAt().toString()).toArray()));
        ps.setArray(6, c.createArrayOf("text", hits.stream().map(NewHit::listId).toArray()));
        ps.setArray(7, c.createArrayOf("int8", hits.stream().map(NewHit::entryId).toArray()));
        ps.setArray(8, c.createArrayOf("text", hits.stream().map(NewHit::match).toArray()));
        ps.setArray(9, c.createArrayOf("int4", hits.stream().map(NewHit::priority).toArray()));
        return ps;
    }

    /** The hits and their webhook outbox rows, in the caller's transaction; answers those stored now. */
    private List<Hit> insertInTransaction(List<NewHit> hits, Map<String, Collection<String>> targets) {
        List<Long> ids = jdbc.query(c -> fill(c.prepareStatement(INSERT), c, hits), (rs, i) -> rs.getLong(1));
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Hit> stored = byIds(ids);
        for (Map.Entry<String, Collection<String>> t : targets.entrySet()) {
            List<Long> mine = stored.stream().filter(h -> t.getValue().isEmpty() || t.getValue().contains(h.listId()))
                    .map(Hit::id).toList();
            if (!mine.isEmpty()) {
                jdbc.update(c -> {
                    PreparedStatement ps = c.prepareStatement("insert into alert_webhook (target, hit_id) select ?, unnest(?::bigint[])");
                    ps.setString(1, t.getKey());
                    ps.setArray(2, c.createArrayOf("int8", mine.toArray()));
                    return ps;
                });
            }
        }
        return stored;
    }

    List<Hit> byIds(List<Long> ids) {
        return jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from hotlist_hit h where h.id = any(?) order by h.id");
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            return ps;
        }, HIT);
    }

    Optional<Hit> byId(long id) {
        return jdbc.query("select " + COLUMNS + " from hotlist_hit h where h.id = ?", HIT, id).stream().findFirst();
    }

    /** Hits after {@code afterId} of lists whose hit role is one of these, oldest first (stream resume). */
    List<Hit> since(long afterId, Collection<String> roles, int limit) {
        return jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from hotlist_hit h join hotlist l on l.id = h.list_id"
                    + " where h.id > ? and l.hit_role = any(?) order by h.id limit ?");
            ps.setLong(1, afterId);
            ps.setArray(2, c.createArrayOf("text", roles.toArray()));
            ps.setInt(3, limit);
            return ps;
        }, HIT);
    }

    /** The latest hits these roles may see, newest first; {@code open}: only those not acknowledged. */
    List<Hit> recent(Collection<String> roles, boolean open, int limit) {
        return jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from hotlist_hit h join hotlist l on l.id = h.list_id"
                    + " where l.hit_role = any(?)" + (open ? " and h.acked_at is null" : "") + " order by h.id desc limit ?");
            ps.setArray(1, c.createArrayOf("text", roles.toArray()));
            ps.setInt(2, limit);
            return ps;
        }, HIT);
    }

    /** The role that may see a hit's list, or empty when the hit or its list is gone. */
    Optional<String> roleOf(long hitId) {
        return jdbc.query("select l.hit_role from hotlist_hit h join hotlist l on l.id = h.list_id where h.id = ?",
                (rs, i) -> rs.getString(1), hitId).stream().findFirst();
    }

    /** Acknowledges an open hit; false when it was acknowledged already. Runs in the caller's transaction. */
    boolean ack(long hitId, String by, String outcome, String note) {
        return jdbc.update("update hotlist_hit set acked_at = now(), acked_by = ?, ack_outcome = ?, ack_note = ?"
                + " where id = ? and acked_at is null", by, outcome, note, hitId) == 1;
    }

    TransactionTemplate tx() {
        return tx;
    }

    /** Deletes hits older than their list's retention (lists gone: the default 30 days). */
    int removeExpired() {
        return jdbc.update("""
                delete from hotlist_hit h
                where h.matched_at < now() - make_interval(days => coalesce(
                    (select l.hit_retention_days from hotlist l where l.id = h.list_id), 30))""");
    }
}
