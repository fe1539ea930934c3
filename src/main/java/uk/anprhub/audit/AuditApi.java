package uk.anprhub.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/audit} (role auditor only, SecurityConfiguration#apiRoles): the audit log filtered by user,
 * action, case reference and a bounded time range, newest first, in keyset pages ({@code before} = the last id of the
 * previous page), or the whole selection as CSV ({@code format=csv}, streamed from a cursor). The auditor's own reads
 * are audited ({@code audit.read}, {@code audit.export}) before the answer, with the filters and the row count.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditApi {

    private static final int MAX_FILTER = 200;
    private static final String[] CSV_HEADER = {"id", "at", "actor", "action", "source", "reason", "reference", "purpose",
            "count", "detail", "prev_hash", "hash"};

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final AuditProperties props;
    private final ObjectMapper json;
    private final Clock clock;

    AuditApi(DataSource dataSource, JdbcTemplate jdbc, AuditLog audit, AuditProperties props, ObjectMapper json, Clock clock) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.audit = audit;
        this.props = props;
        this.json = json;
        this.clock = clock;
    }

    /** The filters of one request, checked: the range bounded, texts bounded. */
    record Filter(String user, String action, String reference, Instant from, Instant to) {

        /** The SQL condition and its parameters (in order). */
        String where(List<Object> params) {
            StringBuilder w = new StringBuilder("at >= ? and at < ?");
            params.add(java.sql.Timestamp.from(from));
            params.add(java.sql.Timestamp.from(to));
            if (user != null) {
                w.append(" and actor = ?");
                params.add(user);
            }
            if (action != null) {
                if (action.endsWith("*")) { // a family of actions: national.* , login.*
                    w.append(" and action like ? escape '\\'");
                    params.add(action.substring(0, action.length() - 1).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
                } else {
                    w.append(" and action = ?");
                    params.add(action);
                }
            }
            if (reference != null) {
                w.append(" and detail ->> 'reference' = ?");
                params.add(reference);
            }
            return w.toString();
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", from.toString());
            m.put("to", to.toString());
            if (user != null) {
                m.put("user", user);
            }
            if (action != null) {
                m.put("action", action);
            }
            if (reference != null) {
                m.put("reference", reference);
            }
            return m;
        }
    }

    @GetMapping
    Object list(@RequestParam(required = false) String user, @RequestParam(required = false) String action,
                @RequestParam(required = false) String reference, @RequestParam(required = false) Instant from,
                @RequestParam(required = false) Instant to, @RequestParam(required = false) Long before,
                @RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String format,
                HttpServletResponse response) throws SQLException, IOException {
        Filter f = filter(user, action, reference, from, to);
        if ("csv".equalsIgnoreCase(format)) {
            csv(f, response);
            return null;
        }
        if (format != null && !"json".equalsIgnoreCase(format)) {
            throw new IllegalArgumentException("format: json (default) or csv");
        }
        if (limit < 1 || limit > props.maxPage()) {
            throw new IllegalArgumentException("limit: 1 to " + props.maxPage());
        }
        List<Object> params = new ArrayList<>();
        String sql = "select id, at, actor, action, source, detail::text, prev_hash, hash from audit_log where " + f.where(params)
                + (before == null ? "" : " and id < ?") + " order by id desc limit ?";
        if (before != null) {
            params.add(before);
        }
        params.add(limit + 1);
        List<Map<String, Object>> rows = jdbc.query(sql, (rs, n) -> row(rs), params.toArray());
        Long next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = (Long) rows.get(limit - 1).get("id");
        }
        Map<String, Object> detail = f.describe();
        if (before != null) {
            detail.put("before", before);
        }
        detail.put("count", rows.size());
        audit.record("audit.read", detail);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("filter", f.describe());
        out.put("rows", rows);
        out.put("next", next);
        return out;
    }

    /**
     * The selection as CSV, streamed (constant memory however many rows): counted first so the audit row that precedes
     * the answer says how many rows were disclosed, then exactly those rows (ids up to the newest counted).
     */
    private void csv(Filter f, HttpServletResponse response) throws SQLException, IOException {
        List<Object> params = new ArrayList<>();
        String where = f.where(params);
        long[] countAndMax = jdbc.queryForObject("select count(*), coalesce(max(id), 0) from audit_log where " + where,
                (rs, n) -> new long[]{rs.getLong(1), rs.getLong(2)}, params.toArray());
        long count = countAndMax[0];
        long maxId = countAndMax[1];
        Map<String, Object> detail = f.describe();
        detail.put("count", count);
        detail.put("format", "csv");
        audit.record("audit.export", detail);
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"audit-" + f.from().getEpochSecond() + "-"
                + f.to().getEpochSecond() + ".csv\"");
        params.add(maxId);
        // raw JDBC: a server-side cursor needs its own transaction and a fetch size, and rows go straight to the response
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // a cursor: rows are fetched 1,000 at a time, never all in memory
            try (PreparedStatement s = c.prepareStatement("select id, at, actor, action, source, detail::text, prev_hash, hash"
                    + " from audit_log where " + where + " and id <= ? order by id")) {
                s.setFetchSize(1_000);
                bind(s, params);
                Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
                line(out, CSV_HEADER);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        JsonNode d = detail(rs.getString(6));
                        line(out, new String[]{rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant().toString(),
                                rs.getString(3), rs.getString(4), rs.getString(5), text(d, "reason"), text(d, "reference"),
                                text(d, "purpose"), text(d, "count"), rs.getString(6), rs.getString(7), rs.getString(8)});
                    }
                }
                out.flush();
            } finally {
                c.rollback();
            }
        }
    }

    private Filter filter(String user, String action, String reference, Instant from, Instant to) {
        Instant t = to == null ? clock.instant() : to;
        Instant f = from == null ? t.minus(java.time.Duration.ofDays(1)) : from;
        if (!f.isBefore(t)) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (java.time.Duration.between(f, t).compareTo(props.maxSpan()) > 0) {
            throw new IllegalArgumentException("the time range may span at most " + props.maxSpan().toDays()
                    + " days (anpr.audit.max-span): page through it in parts");
        }
        return new Filter(bounded("user", user), bounded("action", action), bounded("reference", reference), f, t);
    }

    private static String bounded(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_FILTER) {
            throw new IllegalArgumentException(name + ": at most " + MAX_FILTER + " characters");
        }
        return value.strip();
    }

    private Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getLong(1));
        m.put("at", rs.getObject(2, OffsetDateTime.class).toInstant().toString());
        m.put("actor", rs.getString(3));
        m.put("action", rs.getString(4));
        m.put("source", rs.getString(5));
        m.put("detail", detail(rs.getString(6)));
        m.put("prevHash", rs.getString(7));
        m.put("hash", rs.getString(8));
        return m;
    }

    private JsonNode detail(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private static String text(JsonNode d, String field) {
        return d == null || !d.hasNonNull(field) ? "" : d.get(field).asText();
    }

    private static void bind(PreparedStatement s, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            s.setObject(i + 1, params.get(i));
        }
    }

    /** One CSV line (RFC 4180 quoting); a cell a spreadsheet would run as a formula is prefixed with '. */
    static void line(Writer out, String[] cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            String v = cells[i] == null ? "" : cells[i];
            if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
                v = "'" + v;
            }
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                v = '"' + v.replace("\"", "\"\"") + '"';
            }
            out.write(v);
        }
        out.write("\r\n");
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> invalid(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "invalid-request", "detail", String.valueOf(e.getMessage())));
    }
}
