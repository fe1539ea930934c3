package uk.anprhub.simulator.camera;

import java.io.IOException;

/**
 * One simulated camera's connection: sends a message and waits for the transport's acknowledgement. One instance
 * per client thread, so implementations need not be thread-safe.
 */
interface Sender extends AutoCloseable {

    Ack send(Message message) throws IOException;

    @Override
    void close();

    /** Opens one connection per client. */
    interface Factory {
        Sender open() throws IOException;
    }

    enum Outcome { ACKNOWLEDGED, REFUSED, PUSHED_BACK }

    /**
     * @param status        the transport's answer as reported per code ("201", "226", "puback", "ack"...)
     * @param acknowledged  reads the acknowledgement covers
     * @param stored        reads the hub says it stored, -1 when the transport does not say
     * @param retryAfterMs  how long to wait before the next message (back-pressure), 0 for none
     */
    record Ack(Outcome outcome, String status, long acknowledged, long stored, long duplicates, long retryAfterMs) {

        static Ack acknowledged(String status, long reads) {
            return new Ack(Outcome.ACKNOWLEDGED, status, reads, -1, 0, 0);
        }

        static Ack refused(String status) {
            return new Ack(Outcome.REFUSED, status, 0, 0, 0, 0);
        }
    }
}
