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
 * committed before the sender gets its 4xx, so refused input is never lost.
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

    public long add(RawMessage m, String reason, String detail, Integer readIndex) {
        String headers;
        try {
            headers = mapper.writeValueAsString(m.headers());
        } catch (Exception e) {
            headers = "{}";
        }
        return jdbc.queryForObject("""
                insert into quarantine (received_at, feed, connector, transport, reason, detail, content_type,
                                        remote_addr, filename, folder, headers, read_index, payload)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) returning id""", Long.class,
                Timestamp.from(m.receivedAt()), m.feed(), m.connector(), m.transport(), reason, detail, m.contentType(),
                m.remoteAddr(), m.filename(), m.folder(), headers, readIndex, m.payload());
    }

    public List<Entry> list(String reason, String feed, String status, int limit) {
        return jdbc.query("""
                select id, received_at, feed, connector, transport, reason, detail, content_type, remote_addr, filename,
                       read_index, status, octet_length(payload) as bytes
                from quarantine
                where (?::text is null or reason = ?) and (?::text is null or feed = ?) and (?::text is null or status = ?)
                order by id desc limit ?""",
                (rs, i) -> new Entry(rs.getLong("id"), rs.getTimestamp("received_at").toInstant(), rs.getString("feed"),
                        rs.getString("connector"), rs.getString("transport"), rs.getString("reason"), rs.getString("detail"),
                        rs.getString("content_type"), rs.getString("remote_addr"), rs.getString("filename"),
                        (Integer) rs.getObject("read_index"), rs.getString("status"), rs.getInt("bytes")),
                reason, reason, feed, feed, status, status, limit);
    }

    /** The message as it arrived, to re-run it through its connector. */
    public RawMessage message(long id) {
        return jdbc.queryForObject("""
                select received_at, feed, connector, transport, content_type, remote_addr, filename, folder, headers, payload
                from quarantine where id = ?""", (rs, i) -> {
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

    public List<Long> idsToReprocess(String reason, String feed, int limit) {
        return jdbc.queryForList("""
                select id from quarantine where status = 'QUARANTINED'
                  and (?::text is null or reason = ?) and (?::text is null or feed = ?)
                order by id limit ?""", Long.class, reason, reason, feed, feed, limit);
    }

    public void markRecovered(long id, int reads) {
        jdbc.update("update quarantine set status = 'RECOVERED', resolved_at = now(), resolved_reads = ? where id = ?", reads, id);
    }

    public long count(String status) {
        return jdbc.queryForObject("select count(*) from quarantine where status = ?", Long.class, status);
    }
}
