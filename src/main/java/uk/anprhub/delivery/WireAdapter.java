package uk.anprhub.delivery;

import java.util.List;

/** The wire format of one kind of target: the only class that knows how a read travels (swap it, not the engine). */
public interface WireAdapter {

    /** Sends the batch (never empty) and classifies the answer; never throws for a network or HTTP failure. */
    SendResult send(List<Claimed> batch) throws InterruptedException;
}
