package uk.anprhub.transport.mq;

/**
 * A message whose reads are neither committed nor quarantined (the store is down or behind): the transport must
 * not acknowledge it, so the broker keeps it. Carries no payload data (plates never reach the log) and no stack.
 */
public final class NotSettledException extends Exception {

    public NotSettledException(String message) {
        super(message, null, false, false);
    }
}
