package uk.anprhub.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.ingest.RawMessage;

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

    /** A quarantined entry as the API shows it (payload separately, on request). */
    public record Entry(long id, Instant receivedAt, String feed, String connector, String transport, String reason,
                        String detail, String contentType, String remoteAddr, String filename, Integer readIndex,
                        String status, int payloadBytes) {
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

    public List<Entry> list(String reason, String feed, String status, int limit) {
        return jdbc.query("""
                select q.id, q.received_at, q.feed, q.connector, q.transport, q.reason, q.detail, q.content_type,
                       q.remote_addr, q.filename, q.read_index, q.status, octet_length(coalesce(q.payload, p.payload)) as bytes
                from quarantine q left join quarantine p on p.id = q.payload_of
                where (?::text is null or q.reason = ?) and (?::text is null or q.feed = ?) and (?::text is null or q.status = ?)
                order by q.id desc limit ?""",
                (rs, i) -> new Entry(rs.getLong("id"), rs.getTimestamp("received_at").toInstant(), rs.getString("feed"),
                        rs.getString("connector"), rs.getString("transport"), rs.getString("reason"), rs.getString("detail"),
                        rs.getString("content_type"), rs.getString("remote_addr"), rs.getString("filename"),
                        (Integer) rs.getObject("read_index"), rs.getString("status"), rs.getInt("bytes")),
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

    /** One row id per quarantined message matching the filters (a message is re-run whole, once). */
    public List<Long> idsToReprocess(String reason, String feed, int limit) {
        return jdbc.queryForList("""
                select min(id) from quarantine where status = 'QUARANTINED'
                  and (?::text is null or reason = ?) and (?::text is null or feed = ?)
                group by coalesce(payload_of, id) order by 1 limit ?""", Long.class, reason, reason, feed, feed, limit);
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
