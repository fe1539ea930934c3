package uk.anprhub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.normalise.Normaliser.Normalised;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One group commit of messages and their reads, in one transaction: raw messages by JDBC batch, reads by one
 * {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING}, then any {@link InsertedReadsHook}s, the new reads' pictures and late pictures of duplicates; the senders' futures complete after the commit.
 */
final class ReadBatchWriter implements GroupCommit.BatchWriter<ReadBatchWriter.Submission, ReadWriter.Stored> {

    private static final Logger log = LoggerFactory.getLogger(ReadWriter.class); // the store's writer, as operators know it
    private static final String INSERT_RAW = """
            insert into raw_message (id, received_at, feed, connector, transport, content_type, remote_addr, filename, sha256, payload)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_READS = """
            insert into nas_read (read_id, idempotency_key, captured_at, received_at, camera_id, feed, vrm, raw_id, body)
            select * from unnest(?::text[]::uuid[], ?::text[], ?::text[]::timestamptz[], ?::text[]::timestamptz[],
                                 ?::text[], ?::text[], ?::text[], ?::text[]::uuid[], ?::text[]::jsonb[])
            order by 2 -- one lock order for every writer: concurrent batches never deadlock
            on conflict (idempotency_key, captured_at) do nothing
            returning read_id, id""";

    /** A message's valid reads, as a sender queued them. */
    record Submission(RawMessage message, List<Normalised> reads) {
    }

    private final DataSource dataSource;
    private final Duration commitBound;
    private final ObjectWriter json;
    private final List<InsertedReadsHook> hooks;
    private final BatchPictures pictures;
    private final LatePictures latePictures;
    private final CommitListeners listeners;

    ReadBatchWriter(DataSource dataSource, ImageStore images, ObjectMapper mapper, Duration commitBound,
                    List<InsertedReadsHook> hooks, CommitListeners listeners) {
        this.dataSource = dataSource;
        this.commitBound = commitBound;
        this.json = mapper.writerFor(NasRead.class);
        this.hooks = List.copyOf(hooks);
        this.pictures = new BatchPictures(images);
        this.latePictures = new LatePictures(images, mapper.writerFor(NasRead.ImageRef.class));
        this.listeners = listeners;
    }

    long latePictures() {
        return latePictures.attached();
    }

    @Override
    public void write(List<GroupCommit.Pending<Submission, ReadWriter.Stored>> batch) {
        pictures.removeLeftOver();
        try {
            List<CommitListener.Committed> committed = new ArrayList<>();
            List<ReadWriter.Stored> results = commit(batch.stream().map(GroupCommit.Pending::item).toList(), committed);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(results.get(i));
            }
            listeners.publish(committed); // after the senders' answers; never blocks nor throws
        } catch (PictureFault e) {
            log.warn("Store batch of {} message(s), {} read(s) not committed: {}", batch.size(), reads(batch), e.getMessage());
            batch.forEach(p -> p.done().completeExceptionally(e));
        } catch (SQLException e) {
            // A data error (class 22) in one message must not fail the innocent messages of its batch.
            if (batch.size() > 1 && e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                for (GroupCommit.Pending<Submission, ReadWriter.Stored> p : batch) {
                    write(List.of(p));
                }
                return;
            }
            // the SQLState, never the message: PostgreSQL quotes the refused values (plates) in its error context
            log.warn("Store batch of {} message(s), {} read(s) not committed (SQLState {})", batch.size(), reads(batch),
                    e.getSQLState());
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    private static int reads(List<GroupCommit.Pending<Submission, ReadWriter.Stored>> batch) {
        return batch.stream().mapToInt(p -> p.item().reads().size()).sum();
    }

    private List<ReadWriter.Stored> commit(List<Submission> batch, List<CommitListener.Committed> committed) throws SQLException {
        List<Normalised> all = batch.stream().flatMap(s -> s.reads().stream()).toList();
        List<UUID> ids = new ArrayList<>(all.size());
        List<BatchPictures.Written> written = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (commitBound != null) { // a frozen server fails this batch (503 to its senders) instead of hanging
                c.setNetworkTimeout(Runnable::run, (int) commitBound.toMillis());
            }
            c.setAutoCommit(false);
            try {
                String[][] columns = insertRaw(c, batch, ids);
                Map<UUID, Long> inserted = insertReads(c, columns);
                runHooks(c, all, ids, inserted);
                pictures.write(all, ids, inserted.keySet(), written);
                latePictures.attach(c, all, ids, inserted.keySet());
                PendingPictures.record(c, batch, ids, inserted.keySet());
                c.commit();
                return results(batch, ids, inserted.keySet(), Instant.now(), committed);
            } catch (SQLException | RuntimeException e) {
                pictures.remove(written); // before commit(): no read refers to them
                c.rollback();
                throw e;
            } catch (JsonProcessingException e) {
                pictures.remove(written);
                c.rollback();
                throw new IllegalStateException("cannot serialise a read", e);
            }
        }
    }

    /**
     * Inserts the raw messages (JDBC batch) and gives each read a new id (added to {@code ids}, in order); returns the
     * reads' columns for {@link #INSERT_READS}.
     */
    private String[][] insertRaw(Connection c, List<Submission> batch, List<UUID> ids) throws SQLException, JsonProcessingException {
        int total = batch.stream().mapToInt(s -> s.reads().size()).sum();
        String[] readIds = new String[total];
        String[] keys = new String[total];
        String[] captured = new String[total];
        String[] received = new String[total];
        String[] cameras = new String[total];
        String[] feeds = new String[total];
        String[] vrms = new String[total];
        String[] rawIds = new String[total];
        String[] bodies = new String[total];
        int r = 0;
        try (PreparedStatement raw = c.prepareStatement(INSERT_RAW)) {
            for (Submission s : batch) {
                UUID rawId = UUID.randomUUID();
                RawMessage m = s.message();
                raw.setObject(1, rawId);
                raw.setTimestamp(2, Timestamp.from(m.receivedAt()));
                raw.setString(3, m.feed());
                raw.setString(4, m.connector());
                raw.setString(5, m.transport());
                raw.setString(6, m.contentType());
                raw.setString(7, m.remoteAddr());
                raw.setString(8, m.filename());
                raw.setString(9, Normaliser.sha256(m.payload()));
                raw.setBytes(10, m.payload());
                raw.addBatch();
                for (Normalised n : s.reads()) {
                    UUID id = UUID.randomUUID();
                    NasRead read = n.read().withReadId(id);
                    ids.add(id);
                    readIds[r] = id.toString();
                    keys[r] = read.idempotencyKey();
                    captured[r] = read.captureTimeUtc().toString();
                    received[r] = read.receivedTimeUtc().toString();
                    cameras[r] = read.cameraId();
                    feeds[r] = m.feed();
                    vrms[r] = read.vrm();
                    rawIds[r] = rawId.toString();
                    bodies[r] = json.writeValueAsString(read);
                    r++;
                }
            }
            raw.executeBatch();
        }
        return new String[][]{readIds, keys, captured, received, cameras, feeds, vrms, rawIds, bodies};
    }

    /** The reads this transaction inserted (not the duplicates), with their {@code nas_read.id}. */
    private static Map<UUID, Long> insertReads(Connection c, String[][] columns) throws SQLException {
        Map<UUID, Long> inserted = new HashMap<>();
        try (PreparedStatement ins = c.prepareStatement(INSERT_READS)) {
            for (int i = 0; i < columns.length; i++) {
                Array a = c.createArrayOf("text", columns[i]);
                ins.setArray(i + 1, a);
            }
            try (ResultSet rs = ins.executeQuery()) {
                while (rs.next()) {
                    inserted.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
        }
        return inserted;
    }

    private void runHooks(Connection c, List<Normalised> all, List<UUID> ids, Map<UUID, Long> inserted) throws SQLException {
        if (inserted.isEmpty() || hooks.isEmpty()) {
            return;
        }
        List<InsertedReadsHook.InsertedRead> reads = new ArrayList<>(inserted.size());
        for (int i = 0; i < ids.size(); i++) {
            Long pk = inserted.get(ids.get(i));
            if (pk != null) {
                reads.add(new InsertedReadsHook.InsertedRead(ids.get(i), all.get(i).read().captureTimeUtc(), pk));
            }
        }
        for (InsertedReadsHook hook : hooks) {
            hook.inserted(c, reads);
        }
    }

    /** Per message, the ids its reads were stored under (null for a duplicate); the new reads for the listeners. */
    private static List<ReadWriter.Stored> results(List<Submission> batch, List<UUID> ids, Set<UUID> inserted, Instant committedAt,
                                                   List<CommitListener.Committed> committed) {
        List<ReadWriter.Stored> out = new ArrayList<>(batch.size());
        int k = 0;
        for (Submission s : batch) {
            List<UUID> mine = new ArrayList<>(s.reads().size());
            for (Normalised n : s.reads()) {
                UUID id = ids.get(k++);
                boolean stored = inserted.contains(id);
                mine.add(stored ? id : null);
                if (stored) {
                    NasRead read = n.read();
                    committed.add(new CommitListener.Committed(read.cameraId(), read.captureTimeUtc(),
                            read.receivedTimeUtc(), id, read.vrm(), committedAt, read.confidencePct(),
                            read.flags() != null && read.flags().contains("vrm-best-guess")));
                }
            }
            out.add(new ReadWriter.Stored(mine));
        }
        return out;
    }
}
