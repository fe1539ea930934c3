package uk.anprhub.delivery;

import uk.anprhub.store.InsertedReadsHook;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The delivery outbox: one {@code delivery} row per enabled target for every read stored, written in the read's own
 * transaction (docs/delivery.md), so a read is acknowledged only with its deliveries queued and none is ever missed.
 * Raw JDBC: it runs on the group commit's own connection and transaction (hot path).
 */
public final class Outbox implements InsertedReadsHook {

    private static final String INSERT_DELIVERIES = """
            insert into delivery (target, read_id, captured_at, read_pk)
            select t.id, r.read_id, r.captured_at, r.read_pk
            from unnest(?::text[]::uuid[], ?::text[]::timestamptz[], ?::bigint[]) r(read_id, captured_at, read_pk)
            cross join delivery_target t where t.enabled""";

    @Override
    public void inserted(Connection c, List<InsertedRead> reads) throws SQLException {
        if (reads.isEmpty()) {
            return;
        }
        try (PreparedStatement ins = c.prepareStatement(INSERT_DELIVERIES)) {
            ins.setArray(1, c.createArrayOf("text", reads.stream().map(r -> r.readId().toString()).toArray()));
            ins.setArray(2, c.createArrayOf("text", reads.stream().map(r -> r.capturedAt().toString()).toArray()));
            ins.setArray(3, c.createArrayOf("int8", reads.stream().map(InsertedReadsHook.InsertedRead::rowId).toArray()));
            ins.executeUpdate();
        }
    }
}
