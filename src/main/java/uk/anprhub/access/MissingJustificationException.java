package uk.anprhub.access;

import java.util.List;

/** A search or export without a usable reason, reference or purpose: answered 400 with the fields named. */
public class MissingJustificationException extends RuntimeException {

    private final transient List<String> fields;

    public MissingJustificationException(List<String> fields, List<String> purposes) {
        super("missing or invalid: " + String.join(", ", fields) + " (reason: at least " + Justification.MIN_REASON
                + " characters; reference: the incident or case number; purpose: one of " + purposes + ")");
        this.fields = List.copyOf(fields);
    }

    /** The fields missing or invalid, in the order reason, reference, purpose. */
    public List<String> fields() {
        return fields;
    }
}
