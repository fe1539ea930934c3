package uk.anprhub.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts failed logins per account name and per source address and says how long either is locked. In memory (per
 * hub instance), bounded: expired entries are dropped, and past {@link #MAX_KEYS} new names are not tracked (the
 * address counter still catches a sprayer). One mechanism for every login of the hub: HTTP (here) and FTP.
 */
public class LoginThrottle {

    static final int MAX_KEYS = 100_000;

    private record Entry(int failures, Instant windowStart, Instant lockedUntil) {
    }

    private final int maxPerAccount;
    private final int maxPerAddress;
    private final Duration window;
    private final Duration lock;
    private final Clock clock;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** @param maxPerAccount, maxPerAddress failures within {@code window} that lock for {@code lock}; 0 = not counted */
    public LoginThrottle(int maxPerAccount, int maxPerAddress, Duration window, Duration lock, Clock clock) {
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.lock = lock;
        this.clock = clock;
    }

    /** How long the caller must wait, if the account or the address is locked now. */
    public Optional<Duration> locked(String account, String address) {
        Instant now = clock.instant();
        Instant until = later(lockedUntil(accountKey(account), now), lockedUntil(addressKey(address), now));
        return until == null ? Optional.empty() : Optional.of(Duration.between(now, until));
    }

    /** Counts a failure (a null account: only the address counts); returns the locks it started, "account"/"address". */
    public List<String> failed(String account, String address) {
        Instant now = clock.instant();
        if (entries.size() >= MAX_KEYS) {
            entries.values().removeIf(e -> expired(e, now));
        }
        List<String> started = new ArrayList<>(2);
        if (count(accountKey(account), maxPerAccount, now)) {
            started.add("account");
        }
        if (count(addressKey(address), maxPerAddress, now)) {
            started.add("address");
        }
        return started;
    }

    /** A successful login clears the account's count (not the address's: a sprayer may own one account). */
    public void succeeded(String account) {
        entries.remove(accountKey(account));
    }

    /** True when this failure started a lock. */
    private boolean count(String key, int max, Instant now) {
        if (key == null || max <= 0 || (entries.size() >= MAX_KEYS && !entries.containsKey(key))) {
            return false;
        }
        boolean[] started = {false};
        entries.compute(key, (k, e) -> {
            if (e == null || expired(e, now)) {
                e = new Entry(0, now, null);
            }
            int failures = e.failures() + 1;
            boolean wasLocked = e.lockedUntil() != null && e.lockedUntil().isAfter(now);
            started[0] = failures >= max && !wasLocked;
            Instant lockedUntil = failures >= max ? now.plus(lock) : e.lockedUntil();
            return new Entry(failures, e.windowStart(), lockedUntil);
        });
        return started[0];
    }

    private Instant lockedUntil(String key, Instant now) {
        Entry e = key == null ? null : entries.get(key);
        return e == null || e.lockedUntil() == null || !e.lockedUntil().isAfter(now) ? null : e.lockedUntil();
    }

    private boolean expired(Entry e, Instant now) {
        boolean windowOver = !e.windowStart().plus(window).isAfter(now);
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
