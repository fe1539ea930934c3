package uk.anprhub.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Who did what with personal data (DPA 2018 s.62 logging): every disclosure, re-processing, replay and
 * registry change through the API is a row in {@code audit_log}, written before the answer.
 */
@Component
public class AuditLog {

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public AuditLog(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    public void record(String action, Map<String, ?> detail) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        String actor = who == null ? "system" : who.getName();
        try {
            jdbc.update("insert into audit_log (actor, action, detail) values (?, ?, ?::jsonb)", actor, action,
                    mapper.writeValueAsString(detail));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
