package uk.anprhub.message;

/**
 * A message or read that can never be accepted as it is. Carries a {@link Reason} (docs/connector-contract.md
 * section 6) and a detail for the integration engineer. Never carries a plate.
 */
public class RejectedException extends RuntimeException {

    private final Reason reason;

    public RejectedException(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public RejectedException(Reason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    /** By code ({@link Reason#of}): an undocumented code fails here, where it is thrown. */
    public RejectedException(String reason, String detail) {
        this(Reason.of(reason), detail);
    }

    /** By code ({@link Reason#of}): an undocumented code fails here, where it is thrown. */
    public RejectedException(String reason, String detail, Throwable cause) {
        this(Reason.of(reason), detail, cause);
    }

    /** The reason's code, e.g. {@code unknown-camera}. */
    public String reason() {
        return reason.code();
    }

    public Reason why() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
