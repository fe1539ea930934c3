package uk.anprhub.store;

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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: reads from many concurrent senders are written by a few writer threads in one transaction per
 * batch (raw messages by JDBC batch, reads by one {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT DO
 * NOTHING}). A sender's future completes only after the transaction holding its reads committed. The number of
 * reads waiting is bounded: beyond it {@link #submit} refuses at once, so back-pressure reaches the protocol
 * instead of memory growing.
 */
public final class ReadWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadWriter.class);
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
    /** The delivery outbox: one row per enabled target, in the read's own transaction (docs/delivery.md). */
    private static final String INSERT_DELIVERIES = """
            insert into delivery (target, read_id, captured_at, read_pk)
            select t.id, r.read_id, r.captured_at, r.read_pk
            from unnest(?::text[]::uuid[], ?::text[]::timestamptz[], ?::bigint[]) r(read_id, captured_at, read_pk)
            cross join delivery_target t where t.enabled""";

    /** The stored copy of a read that arrived again: its id and whether each picture is held already. */
    private static final String FIND_STORED = """
            select read_id, body #>> '{plateImage,sha256}' is not null, body #>> '{overviewImage,sha256}' is not null
            from nas_read where idempotency_key = ? and captured_at = ?::timestamptz for update""";
    private static final String ATTACH_PICTURE = """
            update nas_read set body = jsonb_set(body, ?::text[], ?::jsonb)
            where idempotency_key = ? and captured_at = ?::timestamptz""";

    /** Per read of a message, in order: the read id it was stored under, or null when it was a duplicate. */
    public record Stored(List<UUID> readIds) {
        public int stored() {
            return (int) readIds.stream().filter(java.util.Objects::nonNull).count();
        }

        public int duplicates() {
            return readIds.size() - stored();
        }
    }

    private record Pending(RawMessage message, List<Normalised> reads, CompletableFuture<Stored> done) {
    }

    private final DataSource dataSource;
    private final ImageStore images;
    private final int batchSize;
    private final Duration maxWait;
    private final Duration commitBound;
    private final int maxPending;
    private final Semaphore capacity;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private final ObjectWriter json;
    private final ObjectWriter refJson;
    private final java.util.concurrent.atomic.AtomicLong latePictures = new java.util.concurrent.atomic.AtomicLong();
    private final CommitListeners listeners = new CommitListeners();
    private volatile boolean running = true;

    public ReadWriter(DataSource dataSource, ImageStore images, ObjectMapper mapper, int writerThreads, int batchSize,
                      Duration maxWait, int maxPendingReads) {
        this(dataSource, images, mapper, writerThreads, batchSize, maxWait, maxPendingReads, null);
    }

    /** @param commitBound longest one group commit may wait on the server; null: the connection's own timeouts */
    public ReadWriter(DataSource dataSource, ImageStore images, ObjectMapper mapper, int writerThreads, int batchSize,
                      Duration maxWait, int maxPendingReads, Duration commitBound) {
        this.commitBound = commitBound;
        this.dataSource = dataSource;
        this.images = images;
        this.batchSize = batchSize;
        this.maxWait = maxWait;
        this.maxPending = maxPendingReads;
        this.capacity = new Semaphore(maxPendingReads);
        this.json = mapper.writerFor(NasRead.class);
        this.refJson = mapper.writerFor(NasRead.ImageRef.class);
        for (int i = 0; i < writerThreads; i++) {
            Thread t = new Thread(this::loop, "anpr-store-writer-" + i);
            t.setDaemon(true);
            t.start();
            writers.add(t);
        }
    }

    /**
     * Queues a message's valid reads for the next group commit.
     *
     * @throws StoreBusyException when the reads waiting already fill the configured bound
     */
    public CompletableFuture<Stored> submit(RawMessage message, List<Normalised> reads) {
        int permits = Math.max(1, reads.size());
        if (!running) {
            throw new StoreBusyException("store is shutting down", null);
        }
        if (!capacity.tryAcquire(Math.min(permits, maxPending))) {
            throw new StoreBusyException(maxPending + " reads already wait for the store", null);
        }
        Pending p = new Pending(message, reads, new CompletableFuture<>());
        queue.add(p);
        p.done.whenComplete((r, e) -> capacity.release(Math.min(permits, maxPending)));
        return p.done;
    }

    /** Told, after each commit and off the writer threads, which reads it stored (camera health). */
    public void addListener(CommitListener listener) {
        listeners.add(listener);
    }

    public int maxPendingReads() {
        return maxPending;
    }

    /** Reads accepted but not yet committed (for the health check and metrics). */
    public int pendingReads() {
        return maxPending - capacity.availablePermits();
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int reads = first.reads.size();
                long deadline = System.nanoTime() + maxWait.toNanos();
                while (reads < batchSize) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    reads += next.reads.size();
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // Never lose a writer thread (the JDBC driver can throw AssertionError when the server dies mid-batch):
                // fail this batch's senders (they get 503 and retry) and go on.
                log.error("Store writer failed unexpectedly: {} at {}", e.getClass().getName(), // no message: it may quote reads
                        e.getStackTrace().length == 0 ? "?" : e.getStackTrace()[0]);
                batch.forEach(p -> p.done.completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        removeLeftOverPictures();
        try {
            List<CommitListener.Committed> committed = new ArrayList<>();
            List<Stored> results = commit(batch, committed);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done.complete(results.get(i));
            }
            listeners.publish(committed); // after the senders' answers; never blocks nor throws
        } catch (PictureFault e) {
            log.warn("Store batch of {} message(s), {} read(s) not committed: {}", batch.size(),
                    batch.stream().mapToInt(p -> p.reads.size()).sum(), e.getMessage());
            batch.forEach(p -> p.done.completeExceptionally(e));
        } catch (SQLException e) {
            // A data error (class 22) in one message must not fail the innocent messages of its batch.
            if (batch.size() > 1 && e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                for (Pending p : batch) {
                    write(List.of(p));
                }
                return;
            }
            // the SQLState, never the message: PostgreSQL quotes the refused values (plates) in its error context
            log.warn("Store batch of {} message(s), {} read(s) not committed (SQLState {})", batch.size(),
                    batch.stream().mapToInt(p -> p.reads.size()).sum(), e.getSQLState());
            batch.forEach(p -> p.done.completeExceptionally(e));
        }
    }

    private List<Stored> commit(List<Pending> batch, List<CommitListener.Committed> committed) throws SQLException {
        int total = batch.stream().mapToInt(p -> p.reads.size()).sum();
        String[] readIds = new String[total];
        String[] keys = new String[total];
        String[] captured = new String[total];
        String[] received = new String[total];
        String[] cameras = new String[total];
        String[] feeds = new String[total];
        String[] vrms = new String[total];
        String[] rawIds = new String[total];
        String[] bodies = new String[total];
        List<UUID> ids = new ArrayList<>(total);
        List<Picture> written = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (commitBound != null) { // a frozen server fails this batch (503 to its senders) instead of hanging
                c.setNetworkTimeout(Runnable::run, (int) commitBound.toMillis());
            }
            c.setAutoCommit(false);
            try {
                int r = 0;
                try (PreparedStatement raw = c.prepareStatement(INSERT_RAW)) {
                    for (Pending p : batch) {
                        UUID rawId = UUID.randomUUID();
                        RawMessage m = p.message;
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
                        for (Normalised n : p.reads) {
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
                Set<UUID> inserted = new HashSet<>();
                java.util.Map<UUID, Long> rowIds = new java.util.HashMap<>(); // nas_read.id, for the delivery rows
                try (PreparedStatement ins = c.prepareStatement(INSERT_READS)) {
                    String[][] columns = {readIds, keys, captured, received, cameras, feeds, vrms, rawIds, bodies};
                    for (int i = 0; i < columns.length; i++) {
                        Array a = c.createArrayOf("text", columns[i]);
                        ins.setArray(i + 1, a);
                    }
                    try (ResultSet rs = ins.executeQuery()) {
                        while (rs.next()) {
                            inserted.add(rs.getObject(1, UUID.class));
                            rowIds.put(rs.getObject(1, UUID.class), rs.getLong(2));
                        }
                    }
                }
                queueForDelivery(c, ids, captured, rowIds);
                storeImages(batch, ids, inserted, written);
                attachLatePictures(c, batch, ids, inserted);
                c.commit();
                java.time.Instant committedAt = java.time.Instant.now();
                List<Stored> out = new ArrayList<>(batch.size());
                int k = 0;
                for (Pending p : batch) {
                    List<UUID> mine = new ArrayList<>(p.reads.size());
                    for (int j = 0; j < p.reads.size(); j++, k++) {
                        UUID id = ids.get(k);
                        boolean stored = inserted.contains(id);
                        mine.add(stored ? id : null);
                        if (stored) {
                            NasRead read = p.reads.get(j).read();
                            committed.add(new CommitListener.Committed(read.cameraId(), read.captureTimeUtc(),
                                    read.receivedTimeUtc(), id, read.vrm(), committedAt, read.confidencePct(),
                                    read.flags() != null && read.flags().contains("vrm-best-guess")));
                        }
                    }
                    out.add(new Stored(mine));
                }
                return out;
            } catch (SQLException | RuntimeException e) {
                removePictures(written); // before commit(): no read refers to them
                c.rollback();
                throw e;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                removePictures(written);
                c.rollback();
                throw new IllegalStateException("cannot serialise a read", e);
            }
        }
    }

    private static void queueForDelivery(Connection c, List<UUID> ids, String[] captured, java.util.Map<UUID, Long> rowIds)
            throws SQLException {
        if (rowIds.isEmpty()) {
            return;
        }
        List<String> readIds = new ArrayList<>(rowIds.size());
        List<String> times = new ArrayList<>(rowIds.size());
        List<Long> pks = new ArrayList<>(rowIds.size());
        for (int i = 0; i < ids.size(); i++) {
            Long pk = rowIds.get(ids.get(i));
            if (pk != null) {
                readIds.add(ids.get(i).toString());
                times.add(captured[i]);
                pks.add(pk);
            }
        }
        try (PreparedStatement ins = c.prepareStatement(INSERT_DELIVERIES)) {
            ins.setArray(1, c.createArrayOf("text", readIds.toArray()));
            ins.setArray(2, c.createArrayOf("text", times.toArray()));
            ins.setArray(3, c.createArrayOf("int8", pks.toArray()));
            ins.executeUpdate();
        }
    }

    private record Picture(java.time.LocalDate day, UUID readId) {
    }

    /** Bounded: beyond it the start-up sweep of {@link OrphanPictures} still removes them. */
    private static final int MAX_LEFT_OVER_PICTURES = 100_000;
    private final java.util.concurrent.BlockingQueue<Picture> leftOverPictures =
            new java.util.concurrent.ArrayBlockingQueue<>(MAX_LEFT_OVER_PICTURES); // size() and offer() in constant time

    /**
     * Pictures written for a transaction that then failed before its commit: removed, so a failed write leaves no
     * orphans. (A failure inside commit() itself is ambiguous — the read may be stored — so those stay, and the
     * start-up sweep of {@link OrphanPictures} removes them if no read refers to them.)
     */
    private void removePictures(List<Picture> written) {
        for (Picture p : written) {
            try {
                images.delete(p.day(), p.readId());
            } catch (RuntimeException e) {
                leftOverPictures.offer(p); // full: left to the start-up sweep
                log.warn("A picture of a failed batch could not be removed ({}); tried again before the next batch",
                        e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Pictures of failed batches that could not be removed then (the picture store itself failing): tried again
     * before each batch, so they do not wait for the start-up sweep. Their reads were never committed.
     */
    private void removeLeftOverPictures() {
        for (int n = leftOverPictures.size(); n > 0; n--) {
            Picture p = leftOverPictures.poll();
            if (p == null) {
                return;
            }
            try {
                images.delete(p.day(), p.readId());
            } catch (RuntimeException e) {
                leftOverPictures.offer(p); // still failing: the next batch tries again
                return;
            }
        }
    }

    /** Images of the reads actually inserted are written before the commit, so a 2xx never precedes them. */
    private void storeImages(List<Pending> batch, List<UUID> ids, Set<UUID> inserted, List<Picture> written) {
        int k = 0;
        for (Pending p : batch) {
            for (Normalised n : p.reads) {
                UUID id = ids.get(k++);
                if (inserted.contains(id)) {
                    var day = n.read().captureTimeUtc().atOffset(ZoneOffset.UTC).toLocalDate();
                    if (n.plateImage() != null || n.overviewImage() != null) {
                        written.add(new Picture(day, id));
                    }
                    if (n.plateImage() != null) {
                        images.put(day, id, "plate", n.plateImage());
                    }
                    if (n.overviewImage() != null) {
                        images.put(day, id, "overview", n.overviewImage());
                    }
                }
            }
        }
    }

    /**
     * A read that arrives again carrying a picture its stored copy lacks (a Hikvision {@code hasMoreData} follow-up
     * post under the same event UUID; a camera that sends the overview after the plate crop) gets that picture: it is
     * written under the stored read's id and its reference set in the stored body, in the same transaction. A picture
     * the stored read holds already is never replaced (the first one is the evidence), so a repeat changes nothing.
     * Delivery reads the references when it sends, so a read not yet sent goes out with the late picture; one sent
     * already is not sent again. If the transaction then fails, the file written stays unreferenced and the retry
     * writes the same bytes again.
     */
    private void attachLatePictures(Connection c, List<Pending> batch, List<UUID> ids, Set<UUID> inserted)
            throws SQLException, com.fasterxml.jackson.core.JsonProcessingException {
        int k = 0;
        for (Pending p : batch) {
            for (Normalised n : p.reads) {
                UUID id = ids.get(k++);
                if (inserted.contains(id) || (n.plateImage() == null && n.overviewImage() == null)) {
                    continue;
                }
                NasRead read = n.read();
                String captured = read.captureTimeUtc().toString();
                UUID storedId;
                boolean hasPlate;
                boolean hasOverview;
                try (PreparedStatement find = c.prepareStatement(FIND_STORED)) {
                    find.setString(1, read.idempotencyKey());
                    find.setString(2, captured);
                    try (ResultSet rs = find.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        storedId = rs.getObject(1, UUID.class);
                        hasPlate = rs.getBoolean(2);
                        hasOverview = rs.getBoolean(3);
                    }
                }
                var day = read.captureTimeUtc().atOffset(ZoneOffset.UTC).toLocalDate();
                if (n.plateImage() != null && !hasPlate && read.plateImage() != null) {
                    attach(c, read, captured, day, storedId, "plate", "plateImage", n.plateImage(), read.plateImage());
                }
                if (n.overviewImage() != null && !hasOverview && read.overviewImage() != null) {
                    attach(c, read, captured, day, storedId, "overview", "overviewImage", n.overviewImage(), read.overviewImage());
                }
            }
        }
    }

    private void attach(Connection c, NasRead read, String captured, java.time.LocalDate day, UUID storedId, String kind,
                        String field, byte[] bytes, NasRead.ImageRef ref)
            throws SQLException, com.fasterxml.jackson.core.JsonProcessingException {
        images.put(day, storedId, kind, bytes);
        try (PreparedStatement up = c.prepareStatement(ATTACH_PICTURE)) {
            up.setArray(1, c.createArrayOf("text", new String[]{field}));
            up.setString(2, refJson.writeValueAsString(ref));
            up.setString(3, read.idempotencyKey());
            up.setString(4, captured);
            up.executeUpdate();
        }
        latePictures.incrementAndGet();
        log.debug("A late {} picture attached to stored read {}", kind, storedId);
    }

    /** Pictures attached to reads stored earlier (since start). */
    public long latePictures() {
        return latePictures.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : writers) {
            t.join(10_000);
        }
        listeners.close();
    }
}
