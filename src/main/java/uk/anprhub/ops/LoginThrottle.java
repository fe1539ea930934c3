package uk.anprhub.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts failed logins per account name and per source address and says how long either is locked. In memory (per
 * hub instance), bounded: expired entries are dropped, and past {@link #MAX_KEYS} new names are not tracked (the
 * address counter still catches a sprayer).
 */
public class LoginThrottle {

    static final int MAX_KEYS = 100_000;

    private record Entry(int failures, Instant windowStart, Instant lockedUntil) {
    }

    private final LoginProperties props;
    private final Clock clock;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    public LoginThrottle(LoginProperties props, Clock clock) {
        this.props = props;
        this.clock = clock;
    }

    /** How long the caller must wait, if the account or the address is locked now. */
    public Optional<Duration> locked(String account, String address) {
        Instant now = clock.instant();
        Instant until = later(lockedUntil(accountKey(account), now), lockedUntil(addressKey(address), now));
        return until == null ? Optional.empty() : Optional.of(Duration.between(now, until));
    }

    public void failed(String account, String address) {
        Instant now = clock.instant();
        if (entries.size() >= MAX_KEYS) {
            entries.values().removeIf(e -> expired(e, now));
        }
        count(addressKey(address), props.maxFailuresPerAddress(), now);
        count(accountKey(account), props.maxFailures(), now);
    }

    /** A successful login clears the account's count (not the address's: a sprayer may own one account). */
    public void succeeded(String account) {
        entries.remove(accountKey(account));
    }

    private void count(String key, int max, Instant now) {
        if (key == null || (entries.size() >= MAX_KEYS && !entries.containsKey(key))) {
            return;
        }
        entries.compute(key, (k, e) -> {
            if (e == null || expired(e, now)) {
                e = new Entry(0, now, null);
            }
            int failures = e.failures() + 1;
            Instant lockedUntil = failures >= max ? now.plus(props.lock()) : e.lockedUntil();
            return new Entry(failures, e.windowStart(), lockedUntil);
        });
    }

    private Instant lockedUntil(String key, Instant now) {
        Entry e = key == null ? null : entries.get(key);
        return e == null || e.lockedUntil() == null || !e.lockedUntil().isAfter(now) ? null : e.lockedUntil();
    }

    private boolean expired(Entry e, Instant now) {
        boolean windowOver = !e.windowStart().plus(props.window()).isAfter(now);
        boolean unlocked = e.lockedUntil() == null || !e.lockedUntil().isAfter(now);
        return windowOver && unlocked;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static String accountKey(String account) {
        return account == null || account.isEmpty() ? null : "a:" + account;
    }

    private static String addressKey(String address) {
        return address == null ? null : "s:" + address;
    }
}
