package uk.anprhub.ingest;

import uk.anprhub.message.RawMessage;
import uk.anprhub.normalise.Normaliser.Normalised;
import uk.anprhub.store.ReadWriter;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a message's valid reads go once normalised: the local store's group commit ({@link ReadWriter#submit}, the
 * default), or, on an edge hub of the Kafka spine, a Kafka topic (transport.spine). The camera is acknowledged when
 * the future completes; a future failed with {@link Unavailable} gives the camera the answer a store outage gives.
 */
@FunctionalInterface
public interface ReadSink {

    /**
     * @return completes, once the reads are kept, with the id of each read in order (null for a duplicate)
     * @throws uk.anprhub.store.StoreBusyException when the reads waiting already fill the configured bound
     */
    CompletableFuture<ReadWriter.Stored> submit(RawMessage message, List<Normalised> reads);

    /** The sink cannot keep the reads now (broker unreachable, send timed out, too many in flight): retry later. */
    final class Unavailable extends RuntimeException {
        private final String error;
        private final int retryAfterSeconds;

        public Unavailable(String error, String detail, int retryAfterSeconds) {
            super(detail, null, false, false); // no stack: an expected condition, answered and counted
            this.error = error;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public String error() {
            return error;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
