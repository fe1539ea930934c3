package uk.anprhub.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;

/**
 * Walks the audit log's hash chain (V4__audit_chain.sql) and recomputes every row's hash here, not with the
 * database's function: a verifier must not trust what it verifies. The oldest remaining row may point at a pruned
 * predecessor only when the latest {@code audit.pruned} row names it; the newest row must be the chain head.
 * Raw JDBC: it walks a caller's connection (the CLI has no Spring context) row by row.
 */
public final class AuditChain {

    /** The prev_hash of the first row ever written. */
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditChain() {
    }

    /**
     * The outcome of a walk.
     *
     * @param rows      rows checked
     * @param brokenAt  the first row that does not fit the chain, null when intact (-1: the head row disagrees)
     * @param problem   what is wrong there, null when intact
     * @param firstId   the oldest row (null when empty)
     * @param lastId    the newest row (null when empty)
     * @param lastHash  the newest row's hash: keep it elsewhere to detect a cut-off tail later
     */
    public record Result(long rows, Long brokenAt, String problem, Long firstId, Long lastId, String lastHash) {
        public boolean intact() {
            return problem == null;
        }
    }

    /** SHA-256 (hex) over the row's fields, length-prefixed as {@code audit_field} does in SQL. */
    public static String hash(String prev, long id, Instant at, String actor, String action, String source, String detail) {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        StringBuilder s = new StringBuilder(256);
        for (String field : new String[]{prev, Long.toString(id), Long.toString(micros), actor, action, source, detail}) {
            if (field == null) {
                s.append("-;");
            } else {
                s.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field).append(';');
            }
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Walks every row in id order (streamed: a cursor, not the table in memory). */
    public static Result verify(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // the driver streams with a cursor only inside a transaction
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // rows and head from one snapshot
        try {
            Result r = walk(c);
            c.commit();
            return r;
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private static Result walk(Connection c) throws SQLException {
        long rows = 0;
        Long first = null;
        Long lastId = null;
        String lastHash = null;
        try (PreparedStatement s = c.prepareStatement(
                "select id, at, actor, action, source, detail::text, prev_hash, hash from audit_log order by id")) {
            s.setFetchSize(1_000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Instant at = rs.getObject(2, OffsetDateTime.class).toInstant();
                    String prev = rs.getString(7);
                    String stored = rs.getString(8);
                    if (first == null) {
                        first = id;
                        String problem = firstRowProblem(c, id, prev);
                        if (problem != null) {
                            return new Result(rows, id, problem, first, null, null);
                        }
                    } else if (!lastHash.equals(prev)) {
                        return new Result(rows, id, "its prev_hash is not the hash of row " + lastId
                                + " (a row between them was removed, or this one was altered)", first, lastId, lastHash);
                    }
                    String computed = hash(prev, id, at, rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6));
                    if (!computed.equals(stored)) {
                        return new Result(rows, id, "its content does not match its hash (the row was altered)", first, lastId, lastHash);
                    }
                    rows++;
                    lastId = id;
                    lastHash = stored;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("select last_id, last_hash from audit_chain_head");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return new Result(rows, -1L, "the chain head (audit_chain_head) is missing", first, lastId, lastHash);
            }
            long headId = rs.getLong(1);
            String headHash = rs.getString(2);
            if (lastId == null ? headId != 0 : headId != lastId || !headHash.equals(lastHash)) {
                return new Result(rows, lastId == null ? -1L : lastId, "the chain head names row " + headId
                        + ": rows after " + (lastId == null ? "the start" : "row " + lastId) + " were removed", first, lastId, lastHash);
            }
        }
        return new Result(rows, null, null, first, lastId, lastHash);
    }

    /** The oldest row starts the chain, or follows rows removed by retention as the latest prune record says. */
    private static String firstRowProblem(Connection c, long id, String prev) throws SQLException {
        if (GENESIS.equals(prev)) {
            return null;
        }
        try (PreparedStatement s = c.prepareStatement(
                "select detail::text from audit_log where action = 'audit.pruned' and actor = 'system' order by id desc limit 1");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return "it is not the first row ever written and no retention run (audit.pruned) removed its predecessors";
            }
            JsonNode pruned;
            try {
                pruned = JSON.readTree(rs.getString(1));
            } catch (java.io.IOException e) {
                return "the latest audit.pruned row is unreadable";
            }
            if (pruned.path("firstKept").asLong(-1) != id || !prev.equals(pruned.path("firstKeptPrevHash").asText())) {
                return "its predecessors were removed, but the latest retention run (audit.pruned) kept row "
                        + pruned.path("firstKept").asText("?") + " as the first";
            }
            return null;
        }
    }
}
