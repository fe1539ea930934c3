package uk.anprhub.camerahealth;

import java.time.Instant;

/**
 * A camera's state or clock-drift flag changed (published as a Spring application event; the alert stream shows it
 * to ops). Ids, states and figures only, never a plate.
 *
 * @param kind {@code state} (from/to: ok, silent, never-seen) or {@code drift} (from/to: ok, drifting)
 */
public record CameraStateChanged(String cameraId, String kind, String from, String to, Long silentForSeconds,
                                 Double driftSeconds, Instant at) {
}
