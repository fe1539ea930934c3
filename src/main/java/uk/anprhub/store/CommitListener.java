package uk.anprhub.store;

import java.time.Instant;
import java.util.List;

/**
 * Told what a group commit stored, after the commit, on a thread of its own ({@link CommitListeners}): a listener can
 * neither slow a commit down nor fail it. Carries no plate, so a listener cannot leak one.
 */
@FunctionalInterface
public interface CommitListener {

    /** One read that was committed (duplicates are not): which camera, when it captured it, when the hub received it. */
    record Committed(String cameraId, Instant capturedAt, Instant receivedAt) {
    }

    void committed(List<Committed> reads);
}
