package uk.anprhub.faults;

import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.simulator.nas.NasSimulator;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The exact figures of one fault scenario: reads acknowledged to cameras, how many of those PostgreSQL holds (and so
 * how many were lost), how many NAS accepted once, how many it was sent again, dead letters among them, the backlog
 * still waiting, the hub's peak RSS and the time to recover. {@code nasDuplicates} counts since the simulator's last reset.
 */
record Tally(String fault, int acknowledged, int stored, int lost, int deliveredUnique, long nasDuplicates,
             int deadLetters, int backlog, double recoverSeconds, long rssPeakMb) {

    /** The reads stored since ? still waiting for nas, each with its attempts, seconds until due and last error. */
    private static final String WAITING = """
            select d.read_id::text as read_id, d.attempts, extract(epoch from d.next_attempt_at - now())::int as due_in, d.last_error
            from delivery d where d.target = 'nas' and d.status = 'PENDING' and d.created_at >= ?
            union all
            select n.read_id::text, b.attempts, extract(epoch from b.lease_until - now())::int, coalesce(b.last_error, 'leased batch')
            from delivery_batch b join nas_read n on (n.tx, n.id) > (b.from_tx, b.from_id) and (n.tx, n.id) <= (b.to_tx, b.to_id)
            where b.target = 'nas' and n.stored_at >= ?
            union all
            select n.read_id::text, 0, 0, 'after the cursor'
            from nas_read n join delivery_target t on t.id = 'nas' and (n.tx, n.id) > (t.cursor_tx, t.cursor_id)
            where n.stored_at >= ?""";

    /**
     * @param since reads stored from then on count for {@code backlog} (still past nas's cursor, in a batch leased by a
     *              worker that may be gone or waiting out a retry, or in a PENDING row of their own)
     */
    static Tally of(String fault, Set<UUID> acknowledged, JdbcTemplate db, NasSimulator nas, Instant since,
                    double recoverSeconds, long rssPeakMb) {
        String[] ids = acknowledged.stream().map(UUID::toString).toArray(String[]::new);
        int stored = count(db, "select count(distinct read_id) from nas_read where read_id = any(?::uuid[])", ids);
        int dead = count(db, "select count(*) from dead_letter where read_id = any(?::uuid[])", ids);
        Integer backlog = db.queryForObject("select count(*) from (" + WAITING + ") w", Integer.class,
                Timestamp.from(since), Timestamp.from(since), Timestamp.from(since));
        Set<String> accepted = nas.acceptedReadIds();
        int delivered = (int) acknowledged.stream().filter(id -> accepted.contains(id.toString())).count();
        return new Tally(fault, ids.length, stored, ids.length - stored, delivered, nas.stat("duplicates"), dead,
                backlog == null ? 0 : backlog, recoverSeconds, rssPeakMb);
    }

    /**
     * The same figures for {@code uploaded} acknowledgements whose read ids were not known to the camera (FTP: a 226
     * per file; the tally was taken over the ids PostgreSQL holds for them), so {@code lost} counts files too.
     */
    Tally acknowledging(int uploaded) {
        return new Tally(fault, uploaded, stored, uploaded - stored, deliveredUnique, nasDuplicates, deadLetters, backlog,
                recoverSeconds, rssPeakMb);
    }

    private static int count(JdbcTemplate db, String sql, String[] ids) {
        Integer n = db.queryForObject(sql, Integer.class, (Object) ids);
        return n == null ? 0 : n;
    }

    /** The one line docs/reliability.md quotes. */
    String line() {
        return String.format(Locale.ROOT, "fault=%s acknowledged=%d stored=%d lost=%d deliveredUnique=%d nasDuplicates=%d"
                        + " deadLetters=%d backlog=%d recoverSeconds=%.1f rssPeakMb=%d", fault, acknowledged, stored, lost,
                deliveredUnique, nasDuplicates, deadLetters, backlog, recoverSeconds, rssPeakMb);
    }

    /** Why reads stored since {@code since} are still pending: attempts, seconds until due, last error, known to NAS. */
    static String describeBacklog(JdbcTemplate db, NasSimulator nas, Instant since) {
        Set<String> accepted = nas.acceptedReadIds();
        java.util.Map<String, Integer> groups = new java.util.TreeMap<>();
        db.query(WAITING, rs -> {
            String key = "attempts=" + rs.getInt("attempts") + " dueInSeconds~" + (rs.getInt("due_in") / 10 * 10)
                    + " lastError=" + rs.getString("last_error") + " atNas=" + accepted.contains(rs.getString("read_id"));
            groups.merge(key, 1, Integer::sum);
        }, Timestamp.from(since), Timestamp.from(since), Timestamp.from(since));
        return groups.toString();
    }
}
