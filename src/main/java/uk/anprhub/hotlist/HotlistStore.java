package uk.anprhub.hotlist;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The lists and entries in PostgreSQL. Every change runs in one transaction that also bumps
 * {@code hotlist_version} (each hub's index reloads on it) and writes the caller's audit row: a change is whole
 * or not at all. Raw JDBC: chunked array (unnest) statements on one connection and transaction.
 */
class HotlistStore {

    /** Entries written per statement (arrays through unnest). */
    private static final int CHUNK = 5_000;
    private static final String LIST_COLUMNS = """
            select l.id, l.owner, l.description, l.hit_role, l.hit_retention_days, l.fuzzy,
                   (select count(*) from hotlist_entry e where e.list_id = l.id), l.updated_at
            from hotlist l""";
    private static final String UPSERT = """
            insert into hotlist_entry (list_id, vrm, wildcard, category, priority, markers, instructions, valid_from, expires_at, source)
            select ?, * from unnest(?::text[], ?::boolean[], ?::text[], ?::int[], ?::text[], ?::text[],
                                    ?::timestamptz[], ?::timestamptz[], ?::text[])
            on conflict (list_id, vrm) do update set wildcard = excluded.wildcard, category = excluded.category,
                priority = excluded.priority, markers = excluded.markers, instructions = excluded.instructions,
                valid_from = excluded.valid_from, expires_at = excluded.expires_at, source = excluded.source""";

    private static final RowMapper<Hotlist> LIST = (rs, i) -> new Hotlist(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getInt(5), rs.getBoolean(6), rs.getLong(7), rs.getTimestamp(8).toInstant());
    private static final RowMapper<Entry> ENTRY = (rs, i) -> new Entry(rs.getLong(1), rs.getString(2), rs.getBoolean(3),
            rs.getString(4), rs.getInt(5), rs.getString(6) == null ? List.of() : Arrays.asList(rs.getString(6).split(";")),
            rs.getString(7), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)), rs.getString(10), null);

    /** Counts of what a change did. */
    record Change(String list, String mode, int added, int removed, long entries) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final int maxWildcardsPerList;

    HotlistStore(JdbcTemplate jdbc, TransactionTemplate tx, int maxWildcardsPerList) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.maxWildcardsPerList = maxWildcardsPerList;
    }

    List<Hotlist> lists() {
        return jdbc.query(LIST_COLUMNS + " order by l.id", LIST);
    }

    Optional<Hotlist> list(String id) {
        return jdbc.query(LIST_COLUMNS + " where l.id = ?", LIST, id).stream().findFirst();
    }

    /** @throws IllegalStateException when a list of that id exists */
    void create(Hotlist l, Runnable audit) {
        inTx(() -> {
            try {
                jdbc.update("insert into hotlist (id, owner, description, hit_role, hit_retention_days, fuzzy) values (?, ?, ?, ?, ?, ?)",
                        l.id(), l.owner(), l.description(), l.hitRole(), l.hitRetentionDays(), l.fuzzy());
            } catch (DuplicateKeyException e) {
                throw new IllegalStateException("a list with this id exists");
            }
            audit.run();
            return null;
        });
    }

    boolean update(Hotlist l, Runnable audit) {
        return inTx(() -> {
            int n = jdbc.update("update hotlist set owner = ?, description = ?, hit_role = ?, hit_retention_days = ?, fuzzy = ?,"
                    + " updated_at = now() where id = ?", l.owner(), l.description(), l.hitRole(), l.hitRetentionDays(), l.fuzzy(), l.id());
            if (n > 0) {
                audit.run();
            }
            return n > 0;
        });
    }

    boolean delete(String id, Runnable audit) {
        return inTx(() -> {
            int n = jdbc.update("delete from hotlist where id = ?", id);
            if (n > 0) {
                audit.run();
            }
            return n > 0;
        });
    }

    List<Entry> entries(String listId, String vrm, int limit, long offset) {
        if (vrm != null) {
            return jdbc.query(entrySelect() + " where list_id = ? and vrm = ? order by id", ENTRY, listId, vrm);
        }
        return jdbc.query(entrySelect() + " where list_id = ? order by id limit ? offset ?", ENTRY, listId, limit, offset);
    }

    private static String entrySelect() {
        return "select id, vrm, wildcard, category, priority, markers, instructions, valid_from, expires_at, source from hotlist_entry";
    }

    boolean removeEntry(String listId, long entryId, Runnable audit) {
        return inTx(() -> {
            int n = jdbc.update("delete from hotlist_entry where list_id = ? and id = ?", listId, entryId);
            if (n > 0) {
                touch(listId);
                audit.run();
            }
            return n > 0;
        });
    }

    /**
     * Replaces the list's entries by these (replace) or applies them as adds/updates and removals (delta), in one
     * transaction with the audit row.
     *
     * @param audit given the counts, writes the audit row (inside the transaction)
     * @throws IllegalArgumentException over the list's wildcard cap (nothing applied)
     */
    Change apply(String listId, List<Entry> entries, boolean replace, java.util.function.Consumer<Change> audit) {
        return inTx(() -> {
            jdbc.execute("set local statement_timeout = '5min'");
            int removed = 0;
            if (replace) {
                removed = jdbc.update("delete from hotlist_entry where list_id = ?", listId);
            }
            List<Entry> adds = entries.stream().filter(e -> !e.removal()).toList();
            List<String> removals = entries.stream().filter(Entry::removal).map(Entry::vrm).toList();
            for (int i = 0; i < removals.size(); i += CHUNK) {
                List<String> part = removals.subList(i, Math.min(removals.size(), i + CHUNK));
                removed += jdbc.update(c -> {
                    PreparedStatement ps = c.prepareStatement("delete from hotlist_entry where list_id = ? and vrm = any(?)");
                    ps.setString(1, listId);
                    ps.setArray(2, c.createArrayOf("text", part.toArray()));
                    return ps;
                });
            }
            for (int i = 0; i < adds.size(); i += CHUNK) {
                upsert(listId, adds.subList(i, Math.min(adds.size(), i + CHUNK)));
            }
            Integer wildcards = jdbc.queryForObject("select count(*) from hotlist_entry where list_id = ? and wildcard", Integer.class, listId);
            if (wildcards != null && wildcards > maxWildcardsPerList) {
                throw new IllegalArgumentException("the list would hold " + wildcards + " wildcard entries, more than "
                        + maxWildcardsPerList + " (anpr.hotlists.max-wildcards-per-list); nothing applied");
            }
            touch(listId);
            Long total = jdbc.queryForObject("select count(*) from hotlist_entry where list_id = ?", Long.class, listId);
            Change change = new Change(listId, replace ? "replace" : "delta", adds.size(), removed, total == null ? 0 : total);
            audit.accept(change);
            return change;
        });
    }

    private void upsert(String listId, List<Entry> part) {
        jdbc.update(c -> {
            PreparedStatement ps = c.prepareStatement(UPSERT);
            ps.setString(1, listId);
            ps.setArray(2, array(c, "text", part, Entry::vrm));
            ps.setArray(3, array(c, "boolean", part, Entry::wildcard));
            ps.setArray(4, array(c, "text", part, Entry::category));
            ps.setArray(5, array(c, "int4", part, Entry::priority));
            ps.setArray(6, array(c, "text", part, e -> e.markers().isEmpty() ? null : String.join(";", e.markers())));
            ps.setArray(7, array(c, "text", part, Entry::instructions));
            ps.setArray(8, array(c, "text", part, e -> e.validFrom() == null ? null : e.validFrom().toString()));
            ps.setArray(9, array(c, "text", part, e -> e.expiry() == null ? null : e.expiry().toString()));
            ps.setArray(10, array(c, "text", part, Entry::source));
            return ps;
        });
    }

    private static Array array(Connection c, String type, List<Entry> part, java.util.function.Function<Entry, Object> f)
            throws SQLException {
        Object[] values = new Object[part.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = f.apply(part.get(i));
        }
        return c.createArrayOf(type, values);
    }

    private void touch(String listId) {
        jdbc.update("update hotlist set updated_at = now() where id = ?", listId);
    }

    private <T> T inTx(Supplier<T> work) {
        return tx.execute(s -> {
            T result = work.get();
            jdbc.update("update hotlist_version set version = version + 1");
            return result;
        });
    }

    long version() {
        Long v = jdbc.queryForObject("select version from hotlist_version", Long.class);
        return v == null ? 0 : v;
    }

    /**
     * A fresh index of every list and its entries not yet expired, streamed from one cursor (fetch size 10,000 in a
     * read-only transaction), so memory holds the index and one fetch, never a list of rows.
     */
    HotlistIndex load(Instant now) {
        return tx.execute(s -> {
            long version = version();
            HotlistIndex.Builder b = new HotlistIndex.Builder(version);
            jdbc.query("select id, hit_role, fuzzy from hotlist", (ResultSet rs) -> {
                b.list(new HotlistIndex.ListInfo(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            });
            jdbc.query(c -> {
                PreparedStatement ps = c.prepareStatement("select id, list_id, vrm, wildcard, priority, valid_from, expires_at"
                        + " from hotlist_entry where expires_at is null or expires_at > ?");
                ps.setFetchSize(10_000);
                ps.setTimestamp(1, Timestamp.from(now));
                return ps;
            }, (ResultSet rs) -> {
                Timestamp from = rs.getTimestamp(6);
                Timestamp until = rs.getTimestamp(7);
                b.entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getInt(5),
                        from == null ? null : from.getTime(), until == null ? null : until.getTime());
            });
            return b.build();
        });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
