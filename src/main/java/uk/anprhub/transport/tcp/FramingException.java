package uk.anprhub.transport.tcp;

import uk.anprhub.message.Reason;

/**
 * The byte stream cannot be framed any further: a frame is larger than allowed ({@code too-large}) or the stream
 * is not in the configured framing ({@code undecodable}). The connection is closed and {@link #sample()} — the
 * first bytes of the offending frame — is quarantined. {@link #getMessage()} never holds payload content.
 */
final class FramingException extends Exception {

    private final Reason reason;
    private final transient byte[] sample;

    FramingException(Reason reason, String detail, byte[] sample) {
        super(detail, null, false, false);
        this.reason = reason;
        this.sample = sample;
    }

    Reason reason() {
        return reason;
    }

    byte[] sample() {
        return sample;
    }
}
