package uk.anprhub.transport.tcp;

/**
 * The byte stream cannot be framed any further: a frame is larger than allowed ({@code too-large}) or the stream
 * is not in the configured framing ({@code undecodable}). The connection is closed and {@link #sample()} — the
 * first bytes of the offending frame — is quarantined. {@link #getMessage()} never holds payload content.
 */
final class FramingException extends Exception {

    private final String reason;
    private final transient byte[] sample;

    FramingException(String reason, String detail, byte[] sample) {
        super(detail, null, false, false);
        this.reason = reason;
        this.sample = sample;
    }

    String reason() {
        return reason;
    }

    byte[] sample() {
        return sample;
    }
}
