package uk.anprhub.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.Map;

/**
 * Who did what with personal data (DPA 2018 s.62 logging): every disclosure, re-processing, replay and
 * registry change through the API, every Jolokia write/exec and every failed login is a row in {@code audit_log}
 * (account, action, source address, detail), written before the answer.
 */
@Component
public class AuditLog {

    /** Shortest reason accepted for an audited action. */
    public static final int MIN_WHY = 5;

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public AuditLog(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** Records an action of the logged-in account. */
    public void record(String action, Map<String, ?> detail) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        record(who == null ? "system" : who.getName(), action, detail);
    }

    public void record(String actor, String action, Map<String, ?> detail) {
        try {
            jdbc.update("insert into audit_log (actor, action, source, detail) values (?, ?, ?, ?::jsonb)", actor, action,
                    sourceAddress(), mapper.writeValueAsString(detail));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * The reason given for an audited action, trimmed.
     *
     * @throws IllegalArgumentException (an answer 400) when it is missing or shorter than {@link #MIN_WHY} characters
     */
    public static String requireWhy(String why) {
        String w = why == null ? "" : why.strip();
        if (w.length() < MIN_WHY) {
            throw new IllegalArgumentException("'why' is required: say why, in at least " + MIN_WHY + " characters");
        }
        return w;
    }

    /** The client address of the current HTTP request, or null outside one (the remote peer; forwarded headers are not trusted). */
    public static String sourceAddress() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a
                ? a.getRequest().getRemoteAddr() : null;
    }

    /** Text safe for a log line or an audit row: control characters replaced, at most {@code max} characters. */
    public static String printable(String s, int max) {
        if (s == null) {
            return null;
        }
        String t = s.length() > max ? s.substring(0, max) : s;
        return t.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
