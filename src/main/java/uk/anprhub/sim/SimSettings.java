package uk.anprhub.sim;

import java.net.URI;
import java.time.Duration;

/** What a simulation run does; see {@link CameraSimCommand} for the meaning of each field. */
record SimSettings(URI endpoint, int cameras, int clients, int batch, double rate, Duration duration, long count,
                   Duration warmup, double repeatShare, double badShare) {
}
