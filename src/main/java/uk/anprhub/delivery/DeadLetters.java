package uk.anprhub.delivery;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The dead-letter table: queries by time, camera and reason, and the two kinds of replay. */
public final class DeadLetters {

    /**
     * Which dead letters (every field optional but the target).
     *
     * @param from   captured at or after
     * @param to     captured before
     * @param reason the reason starts with this
     * @param status DEAD (default), REPLAYED or ALL
     */
    public record Filter(String target, Instant from, Instant to, String cameraId, String reason, String status) {

        public Filter {
            status = status == null || status.isBlank() ? "DEAD" : status.toUpperCase(java.util.Locale.ROOT);
        }

        private String where(List<Object> args) {
            StringBuilder w = new StringBuilder(" where target = ?");
            args.add(target);
            if (!status.equals("ALL")) {
                w.append(" and status = ?");
                args.add(status);
            }
            if (from != null) {
                w.append(" and captured_at >= ?");
                args.add(Timestamp.from(from));
            }
            if (to != null) {
                w.append(" and captured_at < ?");
                args.add(Timestamp.from(to));
            }
            if (cameraId != null && !cameraId.isBlank()) {
                w.append(" and camera_id = ?");
                args.add(cameraId);
            }
            if (reason != null && !reason.isBlank()) {
                w.append(" and starts_with(reason, ?)");
                args.add(reason);
            }
            return w.toString();
        }
    }

    private final JdbcTemplate jdbc;

    public DeadLetters(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<DeadLetter> list(Filter f, int limit) {
        List<Object> args = new ArrayList<>();
        String sql = "select * from dead_letter" + f.where(args) + " order by failed_at desc, id desc limit ?";
        args.add(limit);
        return jdbc.query(sql, (rs, n) -> deadLetter(rs), args.toArray());
    }

    /** Re-queues the matching dead letters (status DEAD only); returns how many reads were queued again. */
    public int requeue(Filter f, UUID replayId) {
        List<Object> args = new ArrayList<>();
        args.add(replayId);
        String where = new Filter(f.target(), f.from(), f.to(), f.cameraId(), f.reason(), "DEAD").where(args);
        args.add(replayId);
        args.add(f.target());
        return jdbc.update("""
                with picked as (
                    update dead_letter set status = 'REPLAYED', replayed_at = now(), replay_id = ?""" + where + """
                    returning read_id, captured_at)
                update delivery d set status = 'PENDING', next_attempt_at = now(), last_error = null, replay_id = ?
                from picked p where d.target = ? and d.read_id = p.read_id and d.captured_at = p.captured_at
                and d.status = 'DEAD'""", args.toArray());
    }

    /**
     * Queues every stored read captured in [from, to) (of one camera if given) for the target again, delivered or
     * not; reads already waiting are left alone (one of them may be in flight): a row still pending, a read still
     * ahead of the target's cursor or in one of its leased batches. Dead letters in the range are marked replayed.
     * Returns how many reads were queued.
     */
    public int resend(String target, Instant from, Instant to, String cameraId, UUID replayId) {
        String camera = cameraId == null || cameraId.isBlank() ? "" : " and camera_id = ?";
        List<Object> args = new ArrayList<>(List.of(target, replayId, Timestamp.from(from), Timestamp.from(to)));
        if (!camera.isEmpty()) {
            args.add(cameraId);
        }
        args.add(target);
        args.add(target);
        int queued = jdbc.update("""
                insert into delivery (target, read_id, captured_at, read_pk, replay_id)
                select ?, read_id, captured_at, id, ? from nas_read n where captured_at >= ? and captured_at < ?""" + camera + """
                 and not coalesce((n.tx, n.id) > (select cursor_tx, cursor_id from delivery_target where id = ?), false)
                 and not exists (select 1 from delivery_batch b where b.target = ?
                                 and (n.tx, n.id) > (b.from_tx, b.from_id) and (n.tx, n.id) <= (b.to_tx, b.to_id))
                 on conflict (target, read_id, captured_at) do update
                set status = 'PENDING', next_attempt_at = now(), last_error = null, delivered_at = null, replay_id = excluded.replay_id
                where delivery.status <> 'PENDING'""", args.toArray());
        List<Object> dl = new ArrayList<>(List.of(replayId, target, Timestamp.from(from), Timestamp.from(to)));
        if (!camera.isEmpty()) {
            dl.add(cameraId);
        }
        jdbc.update("update dead_letter set status = 'REPLAYED', replayed_at = now(), replay_id = ? "
                + "where target = ? and status = 'DEAD' and captured_at >= ? and captured_at < ?" + camera, dl.toArray());
        return queued;
    }

    private static DeadLetter deadLetter(ResultSet rs) throws SQLException {
        Timestamp replayed = rs.getTimestamp("replayed_at");
        return new DeadLetter(rs.getLong("id"), rs.getString("target"), rs.getObject("read_id", UUID.class),
                rs.getTimestamp("captured_at").toInstant(), rs.getString("camera_id"), rs.getTimestamp("failed_at").toInstant(),
                rs.getInt("attempts"), rs.getString("reason"), rs.getString("response"), rs.getString("status"),
                replayed == null ? null : replayed.toInstant(), rs.getObject("replay_id", UUID.class));
    }
}
