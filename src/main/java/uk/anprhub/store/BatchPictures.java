package uk.anprhub.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.normalise.Normaliser.Normalised;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The pictures of a group commit's new reads: written before the commit (so a 2xx never precedes them) and removed
 * again when the transaction fails before its commit, so a failed write leaves no orphans.
 */
final class BatchPictures {

    private static final Logger log = LoggerFactory.getLogger(BatchPictures.class);

    /** Bounded: beyond it the start-up sweep of {@link OrphanPictures} still removes them. */
    private static final int MAX_LEFT_OVER_PICTURES = 100_000;

    /** The pictures of one read, written for a transaction not yet committed. */
    record Written(LocalDate day, UUID readId) {
    }

    private final ImageStore images;
    private final BlockingQueue<Written> leftOver = new ArrayBlockingQueue<>(MAX_LEFT_OVER_PICTURES); // size() and offer() in constant time

    BatchPictures(ImageStore images) {
        this.images = images;
    }

    /**
     * Writes the pictures of the reads actually inserted ({@code ids} in the order of {@code reads}), recording each
     * read's in {@code written} as it goes.
     */
    void write(List<Normalised> reads, List<UUID> ids, Set<UUID> inserted, List<Written> written) {
        for (int k = 0; k < reads.size(); k++) {
            Normalised n = reads.get(k);
            UUID id = ids.get(k);
            if (inserted.contains(id)) {
                LocalDate day = n.read().captureTimeUtc().atOffset(ZoneOffset.UTC).toLocalDate();
                if (n.plateImage() != null || n.overviewImage() != null) {
                    written.add(new Written(day, id));
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

    /**
     * Pictures written for a transaction that then failed before its commit: removed. (A failure inside commit()
     * itself is ambiguous — the read may be stored — so those stay, and the start-up sweep of {@link OrphanPictures}
     * removes them if no read refers to them.)
     */
    void remove(List<Written> written) {
        for (Written p : written) {
            try {
                images.delete(p.day(), p.readId());
            } catch (RuntimeException e) {
                leftOver.offer(p); // full: left to the start-up sweep
                log.warn("A picture of a failed batch could not be removed ({}); tried again before the next batch",
                        e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Pictures of failed batches that could not be removed then (the picture store itself failing): tried again
     * before each batch, so they do not wait for the start-up sweep. Their reads were never committed.
     */
    void removeLeftOver() {
        for (int n = leftOver.size(); n > 0; n--) {
            Written p = leftOver.poll();
            if (p == null) {
                return;
            }
            try {
                images.delete(p.day(), p.readId());
            } catch (RuntimeException e) {
                leftOver.offer(p); // still failing: the next batch tries again
                return;
            }
        }
    }
}
