package uk.anprhub.ingest;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * What every connection of the camera listener shares: the same policies Tomcat's front door asks
 * ({@link IngestReadiness}, {@link HttpFeedGate}, {@link HttpAdmission}, the body limits of {@code anpr.http.*}),
 * the refusal counters, the request-to-message step ({@link HttpFeed}) and the bounded pool that runs the ingest.
 *
 * @param bodies     requests reading their bodies at once ({@code anpr.http.max-concurrent-bodies})
 * @param idleWithin a connection must bring its next request head within this, or it is closed
 * @param workers    runs whole requests (blocking: they wait for their commit); rejects when saturated
 */
record CameraDoor(IngestReadiness readiness, HttpFeedGate gate, HttpAdmission admission, HttpRefusals refusals,
                  HttpFeed feed, CameraIngest ingest, long maxBody, Duration bodyTimeout, Semaphore bodies,
                  Duration idleWithin, Executor workers) {
}
