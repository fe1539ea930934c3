package uk.anprhub.message;

/**
 * A message or read that can never be accepted as it is. Carries a stable reason code (see
 * docs/connector-contract.md section 6) and a detail for the integration engineer. Never carries a plate.
 */
public class RejectedException extends RuntimeException {

    private final String reason;

    public RejectedException(String reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public RejectedException(String reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
