package uk.anprhub.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Told what a group commit stored, after the commit, on a thread of its own ({@link CommitListeners}): a listener can
 * neither slow a commit down nor fail it. Carries the plate only for hotlist matching: it is left out of
 * {@link Committed#toString()}, and a listener other than matching has no business reading it.
 */
@FunctionalInterface
public interface CommitListener {

    /**
     * One read that was committed (duplicates are not): which camera, when it captured it, when the hub received it;
     * for hotlist matching its id, VRM and when its transaction committed; for camera health the read's confidence
     * (0-100, null when the camera gave none) and whether the camera marked characters it could not read
     * (flag {@code vrm-best-guess}).
     */
    record Committed(String cameraId, Instant capturedAt, Instant receivedAt, UUID readId, String vrm, Instant committedAt,
                     Integer confidencePct, boolean vrmBestGuess) {

        /** Without the read's identity (camera health's tests). */
        public Committed(String cameraId, Instant capturedAt, Instant receivedAt) {
            this(cameraId, capturedAt, receivedAt, null, null, null, null, false);
        }

        /** Without the read's quality (hotlist matching's tests). */
        public Committed(String cameraId, Instant capturedAt, Instant receivedAt, UUID readId, String vrm, Instant committedAt) {
            this(cameraId, capturedAt, receivedAt, readId, vrm, committedAt, null, false);
        }

        /** No plate: a log line or exception message that prints a Committed cannot leak one. */
        @Override
        public String toString() {
            return "Committed[camera=" + cameraId + ", capturedAt=" + capturedAt + ", readId=" + readId + "]";
        }
    }

    void committed(List<Committed> reads);
}
