package uk.anprhub.simulator.camera;

import java.util.random.RandomGenerator;

/** Where the messages come from: generated canonical reads, or varied vendor samples. Thread-safe. */
interface MessageSource {

    /** A fresh good message: new plates, current time, a random simulated camera. */
    Message next(RandomGenerator random);

    /** A message the hub must refuse (quarantine). */
    Message bad(RandomGenerator random);

    /** Mean reads per good message, for pacing a reads/s rate. */
    double readsPerMessage();
}
