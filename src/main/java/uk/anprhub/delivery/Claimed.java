package uk.anprhub.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * A read claimed for one target: its stored canonical JSON ({@code body}, null if retention removed the read
 * meanwhile) and how many times it has been claimed, this claim included.
 */
public record Claimed(UUID readId, Instant capturedAt, int attempts, String cameraId, String body) {
}
