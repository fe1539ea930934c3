package uk.anprhub.store;

/**
 * A picture could not be written (disk full, directory gone or unwritable): a fault of this hub's store, not of the
 * message, so the sender is told to retry (HTTP 503 + Retry-After, FTP file kept) and nothing is acknowledged.
 */
public class PictureFault extends StoreBusyException {

    public PictureFault(String message, Throwable cause) {
        super(message, cause);
    }
}
