package uk.anprhub.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import uk.anprhub.message.RawMessage;
import uk.anprhub.normalise.Normaliser.Normalised;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit of reads: reads from many concurrent senders are written by a few writer threads in one transaction
 * per batch ({@link ReadBatchWriter}: raw messages, reads (each with its transaction's id, {@code nas_read.tx}, which
 * the delivery cursor follows), any {@link InsertedReadsHook}s, pictures). A sender's future completes only after the transaction holding its reads committed. The number
 * of reads waiting is bounded ({@link GroupCommit}): beyond it {@link #submit} refuses at once, so back-pressure
 * reaches the protocol instead of memory growing.
 */
public final class ReadWriter implements AutoCloseable {

    /** Per read of a message, in order: the read id it was stored under, or null when it was a duplicate. */
    public record Stored(List<UUID> readIds) {
        public int stored() {
            return (int) readIds.stream().filter(Objects::nonNull).count();
        }

        public int duplicates() {
            return readIds.size() - stored();
        }
    }

    private final CommitListeners listeners = new CommitListeners();
    private final ReadBatchWriter batches;
    private final GroupCommit<ReadBatchWriter.Submission, Stored> engine;

    /** Without hooks: reads only, no rows of other packages (tools and benchmarks that need no delivery outbox). */
    public ReadWriter(DataSource dataSource, ImageStore images, ObjectMapper mapper, int writerThreads, int batchSize,
                      Duration maxWait, int maxPendingReads) {
        this(dataSource, images, mapper, writerThreads, batchSize, maxWait, maxPendingReads, null, List.of());
    }

    /**
     * @param commitBound longest one group commit may wait on the server; null: the connection's own timeouts
     * @param hooks       rows other packages write in each transaction for the reads it inserted (none in the hub
     *                    since the delivery cursor: it needs nothing but the read's {@code tx})
     */
    public ReadWriter(DataSource dataSource, ImageStore images, ObjectMapper mapper, int writerThreads, int batchSize,
                      Duration maxWait, int maxPendingReads, Duration commitBound, List<? extends InsertedReadsHook> hooks) {
        this.batches = new ReadBatchWriter(dataSource, images, mapper, commitBound, List.copyOf(hooks), listeners);
        this.engine = new GroupCommit<>("anpr-store-writer-", writerThreads, batchSize, maxWait, maxPendingReads,
                s -> s.reads().size(), batches);
    }

    /**
     * Queues a message's valid reads for the next group commit.
     *
     * @throws StoreBusyException when the reads waiting already fill the configured bound
     */
    public CompletableFuture<Stored> submit(RawMessage message, List<Normalised> reads) {
        return engine.submit(new ReadBatchWriter.Submission(message, reads));
    }

    /** Told, after each commit and off the writer threads, which reads it stored (camera health). */
    public void addListener(CommitListener listener) {
        listeners.add(listener);
    }

    public int maxPendingReads() {
        return engine.maxPending();
    }

    /** Reads accepted but not yet committed (for the health check and metrics). */
    public int pendingReads() {
        return engine.pending();
    }

    /** Pictures attached to reads stored earlier (since start). */
    public long latePictures() {
        return batches.latePictures();
    }

    @Override
    public void close() throws InterruptedException {
        engine.close();
        listeners.close();
    }
}
