package uk.anprhub.national;

import org.springframework.jdbc.core.JdbcTemplate;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Supervisors' authorisations of national searches beyond the standard window (table {@code national_authorisation}):
 * each names the investigator and the case reference it is for, is used by one search, and expires.
 */
class Authorisations {

    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray(); // no 0/O, 1/I: read aloud
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;

    Authorisations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Refused for a stated reason (answered 403 with it). */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    record Issued(String authorisation, String investigator, String reference, Instant validUntil) {
    }

    Issued issue(String supervisor, String investigator, String reference, String reason, Instant validUntil) {
        StringBuilder id = new StringBuilder("NSA-");
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        jdbc.update("insert into national_authorisation (id, supervisor, investigator, reference, reason, valid_until)"
                + " values (?, ?, ?, ?, ?, ?)", id.toString(), supervisor, investigator, reference, reason, Timestamp.from(validUntil));
        return new Issued(id.toString(), investigator, reference, validUntil);
    }

    /**
     * Takes the authorisation for one search of {@code investigator} under {@code reference}.
     *
     * @throws Refused naming why (unknown, for someone else or another case, used, expired)
     */
    void claim(String id, String investigator, String reference) {
        int n = jdbc.update("update national_authorisation set used_at = now(), used_by = ? where id = ? and investigator = ?"
                + " and reference = ? and used_at is null and valid_until > now()", investigator, id, investigator, reference);
        if (n == 1) {
            return;
        }
        List<Map<String, Object>> rows = jdbc.queryForList("select investigator, reference, used_at, valid_until <= now() as expired"
                + " from national_authorisation where id = ?", id);
        if (rows.isEmpty()) {
            throw new Refused("supervisorAuthorisation " + id + " does not exist");
        }
        Map<String, Object> r = rows.get(0);
        if (!investigator.equals(r.get("investigator"))) {
            throw new Refused("supervisorAuthorisation " + id + " was given to another investigator");
        }
        if (!reference.equals(r.get("reference"))) {
            throw new Refused("supervisorAuthorisation " + id + " was given for another reference (" + r.get("reference") + ")");
        }
        if (r.get("used_at") != null) {
            throw new Refused("supervisorAuthorisation " + id + " has been used already (one search each)");
        }
        throw new Refused("supervisorAuthorisation " + id + " has expired");
    }

    /** Gives a claimed authorisation back (its search never reached NAS). */
    void release(String id, String investigator) {
        jdbc.update("update national_authorisation set used_at = null, used_by = null where id = ? and used_by = ?", id, investigator);
    }
}
