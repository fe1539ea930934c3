package uk.anprhub.model;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The time rules a read must pass. {@code maxAge} null disables the age check (the offline {@code normalise}
 * command and the golden-file test, which run on captured payloads of any date). {@code fallbackZone} is the
 * zone for local times of cameras with none in the registry: null on the server (such reads are quarantined),
 * set by {@code normalise --camera-tz} for trying a payload of a camera not yet registered.
 */
public record ValidationPolicy(Clock clock, Duration futureSkew, Duration maxAge, ZoneId fallbackZone) {

    public ValidationPolicy(Clock clock, Duration futureSkew, Duration maxAge) {
        this(clock, futureSkew, maxAge, null);
    }

    public static ValidationPolicy offline(ZoneId fallbackZone) {
        return new ValidationPolicy(Clock.systemUTC(), Duration.ofMinutes(5), null, fallbackZone);
    }
}
