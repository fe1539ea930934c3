package uk.anprhub.delivery;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * What the API, health and JMX show of a target.
 *
 * @param lastError       the last failed send (HTTP status or error class, and when), null if none since start
 * @param drainEtaSeconds backlog ÷ this instance's delivery rate over the last minute; 0 with no backlog, -1 when
 *                        nothing was delivered lately
 */
public record TargetStatus(String id, String type, String url, boolean paused, String pausedReason, String breaker,
                           long backlog, long lagSeconds, long deadLetters, boolean healthy, String problem,
                           String lastError, long drainEtaSeconds) {

    /** The worker's state and the latest figures; the first problem found (credentials, TLS, lag, breaker) makes it unhealthy. */
    static TargetStatus of(TargetWorker w, DeliveryStore.Figures f, long lag, long drainEtaSeconds) {
        String problem = null;
        String paused = w.pausedReason();
        if (paused != null && paused.startsWith("auth:")) {
            problem = paused;
        } else if (w.tlsProblem() != null) {
            problem = w.tlsProblem();
        } else if (lag > w.config().lagThreshold().toSeconds()) {
            problem = "lag " + lag + " s exceeds " + w.config().lagThreshold().toSeconds() + " s";
        } else if (w.breakerState() == CircuitBreaker.State.OPEN) {
            // a target that is failing right now degrades the picture at once, not only once the lag has grown
            problem = "breaker open: the target is failing" + (w.lastError() == null ? "" : " (" + w.lastError() + ")");
        }
        return new TargetStatus(w.id(), w.config().typeFor(w.id()), w.config().url() == null ? null : TargetUrls.redact(w.config().url()),
                paused != null, paused, w.breakerState().name(), f.backlog(), lag, f.deadLetters(), problem == null, problem,
                w.lastError() == null ? null : w.lastError().toString(), drainEtaSeconds);
    }
}
