package uk.anprhub.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.message.RawMessage;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages and reads that could not be accepted, with their raw payload and reason. A row is written and
 * committed before the sender gets its 4xx, so refused input is never lost. A message's payload is stored once:
 * the first row of a message holds it, the message's further rows (other refused reads) point at that row
 * ({@code payload_of}); re-processing and recovery work per message.
 */
public final class QuarantineStore {

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public QuarantineStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** One quarantine row as a listing shows it (its payload separately, on request). */
    public record Row(long id, Instant receivedAt, String feed, String connector, String transport, String reason,
                        String detail, String contentType, String remoteAddr, String filename, Integer readIndex,
                        String status, int payloadBytes, int reprocessAttempts, Instant reprocessedAt) {
    }

    /** Quarantines a message, or one read of it ({@code readIndex}), storing its payload. */
    public long add(RawMessage m, String reason, String detail, Integer readIndex) {
        return add(m, null, reason, detail, readIndex);
    }

    /**
     * @param payloadOf null to store the payload with this row, else the id of an earlier row of the same message
     *                  holding it (the id {@link #add} returned for that message's first refusal)
     */
    public long add(RawMessage m, Long payloadOf, String reason, String detail, Integer readIndex) {
        String headers;
        try {
            headers = mapper.writeValueAsString(m.headers());
        } catch (Exception e) {
            headers = "{}";
        }
        return jdbc.queryForObject("""
                insert into quarantine (received_at, feed, connector, transport, reason, detail, content_type,
                                        remote_addr, filename, folder, headers, read_index, payload, payload_of)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) returning id""", Long.class,
                Timestamp.from(m.receivedAt()), m.feed(), m.connector(), m.transport(), reason, detail, m.contentType(),
                m.remoteAddr(), m.filename(), m.folder(), headers, readIndex, payloadOf == null ? m.payload() : null,
                payloadOf);
    }

    public List<Row> list(String reason, String feed, String status, int limit) {
        return jdbc.query("""
                select q.id, q.received_at, q.feed, q.connector, q.transport, q.reason, q.detail, q.content_type,
                       q.remote_addr, q.filename, q.read_index, q.status, octet_length(coalesce(q.payload, p.payload)) as bytes,
                       q.reprocess_attempts, q.reprocessed_at
                from quarantine q left join quarantine p on p.id = q.payload_of
                where (?::text is null or q.reason = ?) and (?::text is null or q.feed = ?) and (?::text is null or q.status = ?)
                order by q.id desc limit ?""",
                (rs, i) -> new Row(rs.getLong("id"), rs.getTimestamp("received_at").toInstant(), rs.getString("feed"),
                        rs.getString("connector"), rs.getString("transport"), rs.getString("reason"), rs.getString("detail"),
                        rs.getString("content_type"), rs.getString("remote_addr"), rs.getString("filename"),
                        (Integer) rs.getObject("read_index"), rs.getString("status"), rs.getInt("bytes"),
                        rs.getInt("reprocess_attempts"), instant(rs.getTimestamp("reprocessed_at"))),
                reason, reason, feed, feed, status, status, limit);
    }

    /** The message as it arrived, to re-run it through its connector. */
    public RawMessage message(long id) {
        return jdbc.queryForObject("""
                select q.received_at, q.feed, q.connector, q.transport, q.content_type, q.remote_addr, q.filename, q.folder,
                       q.headers, coalesce(q.payload, p.payload) as payload
                from quarantine q left join quarantine p on p.id = q.payload_of where q.id = ?""", (rs, i) -> {
            Map<String, String> headers = new HashMap<>();
            try {
                String h = rs.getString("headers");
                if (h != null) {
                    mapper.readTree(h).fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
                }
            } catch (Exception e) {
                // headers are informative only
            }
            return new RawMessage(rs.getBytes("payload"), rs.getString("feed"), rs.getString("connector"),
                    rs.getString("transport"), rs.getString("content_type"), headers, rs.getString("remote_addr"),
                    rs.getString("filename"), rs.getString("folder"), rs.getTimestamp("received_at").toInstant());
        }, id);
    }

    /**
     * Quarantined messages matching the filters, by the id of their first row (the one holding the payload), in id
     * order after {@code after}: a message is re-run whole, once.
     */
    public List<Long> messagesToReprocess(String reason, String feed, long after, int limit) {
        return jdbc.queryForList("""
                select distinct coalesce(payload_of, id) as m from quarantine where status = 'QUARANTINED'
                  and (?::text is null or reason = ?) and (?::text is null or feed = ?) and coalesce(payload_of, id) > ?
                order by 1 limit ?""", Long.class, reason, reason, feed, feed, after, limit);
    }

    /** How many quarantined messages match the filters after {@code after} (as {@link #messagesToReprocess} counts them). */
    public long countMessages(String reason, String feed, long after) {
        return jdbc.queryForObject("""
                select count(distinct coalesce(payload_of, id)) from quarantine where status = 'QUARANTINED'
                  and (?::text is null or reason = ?) and (?::text is null or feed = ?) and coalesce(payload_of, id) > ?""",
                Long.class, reason, reason, feed, feed, after);
    }

    /**
     * A re-run that failed again: every still quarantined row of the message counts the attempt, and takes the new
     * reason — a message-level reason ({@code readIndex} null) for all its rows, a read's reason for that read's row.
     */
    public void markStillFailing(long message, List<Failure> failures) {
        jdbc.update("""
                update quarantine set reprocess_attempts = reprocess_attempts + 1, reprocessed_at = now()
                where (id = ? or payload_of = ?) and status = 'QUARANTINED'""", message, message);
        // a message-level reason beside per-read ones (the summary of reads beyond the cap) names only the rows of no read
        boolean perRead = failures.stream().anyMatch(f -> f.readIndex() != null);
        for (Failure f : failures) {
            jdbc.update("""
                    update quarantine set reason = ?, detail = ?
                    where (id = ? or payload_of = ?) and status = 'QUARANTINED'
                      and (read_index = ? or (?::int is null and (not ? or read_index is null)))""",
                    f.reason(), f.detail(), message, message, f.readIndex(), f.readIndex(), perRead);
        }
    }

    /** Why a message or one read of it ({@code readIndex}) was refused again. */
    public record Failure(Integer readIndex, String reason, String detail) {
    }

    /** Rows held now (status QUARANTINED) by reason. */
    public Map<String, Long> heldByReason() {
        Map<String, Long> held = new java.util.TreeMap<>();
        jdbc.query("select reason, count(*) from quarantine where status = 'QUARANTINED' group by reason",
                rs -> {
                    held.put(rs.getString(1), rs.getLong(2));
                });
        return held;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** Marks the row's message recovered: every still quarantined row of it, since the whole message was re-run. */
    public void markRecovered(long id, int reads) {
        jdbc.update("""
                with m as (select coalesce(payload_of, id) as first from quarantine where id = ?)
                update quarantine q set status = 'RECOVERED', resolved_at = now(), resolved_reads = ?
                from m where (q.id = m.first or q.payload_of = m.first) and q.status = 'QUARANTINED'""", id, reads);
    }

    public long count(String status) {
        return jdbc.queryForObject("select count(*) from quarantine where status = ?", Long.class, status);
    }
}
