package uk.anprhub.store;

/** The store cannot take more reads right now; the sender should retry later (HTTP 503 + Retry-After). */
public class StoreBusyException extends RuntimeException {

    public StoreBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
