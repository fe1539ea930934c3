package uk.anprhub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Rows another package writes in a group commit's own transaction, for the reads it inserted (never the duplicates):
 * they commit or roll back with the reads, and the senders are answered only after that commit. Declared here and
 * implemented above, because store sits below the features that use it. (The delivery outbox was one, a row per read
 * and target; delivery now follows {@code nas_read.tx} with a cursor and writes nothing at ingest.)
 */
public interface InsertedReadsHook {

    /** One read the transaction inserted: its id, capture time (the partition key) and {@code nas_read.id}. */
    record InsertedRead(UUID readId, Instant capturedAt, long rowId) {
    }

    /**
     * Called once per group commit that inserted reads, on the writer thread, before the commit. A throw rolls the
     * whole batch back (its senders are told to retry); never log row content.
     */
    void inserted(Connection transaction, List<InsertedRead> reads) throws SQLException;
}
