package uk.anprhub.simulator.camera;

import uk.anprhub.simulator.camera.CameraSimCommand;

import java.time.Duration;

/** How a simulation run paces and stops; see {@link CameraSimCommand} for the meaning of each field. */
record SimSettings(int clients, double rate, Duration duration, long count, Duration warmup, double repeatShare,
                   double badShare) {
}
