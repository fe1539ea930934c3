package uk.anprhub.delivery;

/**
 * A delivery target as Hawtio shows it ({@code uk.anprhub:type=DeliveryTarget,name=<target>}): its state, and the
 * operations ops need on call. Every operation is audited with the calling account; {@code why} is required
 * (at least 5 characters), as in the API.
 */
public interface DeliveryTargetMBean {

    long getBacklog();

    long getLagSeconds();

    long getDeadLetters();

    /** CLOSED, OPEN or HALF_OPEN. */
    String getBreakerState();

    boolean isPaused();

    String getPauseReason();

    /** 0: nothing waiting; -1: nothing delivered lately. */
    long getDrainEtaSeconds();

    /** The last failed send (HTTP status or error class, and when), or null. */
    String getLastError();

    String pause(String why);

    String resume(String why);

    /** Closes the breaker and sends at the next poll instead of waiting out the breaker's open time. */
    String probeNow();

    /** Re-queues every dead letter of the target. */
    String replayDeadLetters(String why);
}
