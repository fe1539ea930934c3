package uk.anprhub.transport.ftp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Brute-force protection of the FTP logins ({@link FtpProperties.Logins}): counts failed logins per account and per
 * source address in a fixed window, and refuses logins for a locked account or from a locked address until the lock
 * ends, whatever the password. A reconnect does not reset anything. Each failure is logged and audited (user name
 * cleaned, never the password); a refused attempt during a lock is not, so a flood cannot fill the audit table.
 * Memory is bounded: at most {@link #MAX_KEYS} counters, expired ones dropped first.
 */
final class LoginGuard {

    private static final Logger log = LoggerFactory.getLogger(LoginGuard.class);
    static final int MAX_KEYS = 100_000;

    /** Failures of one key in the current window; a lock once the limit was reached. */
    private static final class Failures {
        long windowStart;
        int count;
        long lockedUntil;
    }

    private final FtpProperties.Logins policy;
    private final Clock clock;
    private final BiConsumer<String, Map<String, ?>> audit;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** @param audit {@code AuditLog::record}, or a no-op */
    LoginGuard(FtpProperties.Logins policy, Clock clock, BiConsumer<String, Map<String, ?>> audit) {
        this.policy = policy;
        this.clock = clock;
        this.audit = audit;
    }

    /** True when logins for {@code user} or from {@code address} are locked now. */
    boolean locked(String user, InetAddress address) {
        long now = clock.millis();
        return lockedKey(accountKey(user), now) || lockedKey(addressKey(address), now);
    }

    /** Records a failed login: logged, audited, counted (and a lock started at the limit). */
    void failed(String user, boolean knownUser, InetAddress address, String why) {
        long now = clock.millis();
        String who = clean(user);
        String from = address == null ? "unknown" : address.getHostAddress();
        log.warn("FTP login failed: user '{}' from {} ({})", who, from, why);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("user", who);
        detail.put("address", from);
        detail.put("reason", why);
        record("ftp.login-failed", detail);
        if (knownUser && count(accountKey(user), policy.maxFailuresPerAccount(), now)) {
            lockStarted("account", who, from);
        }
        if (count(addressKey(address), policy.maxFailuresPerAddress(), now)) {
            lockStarted("address", who, from);
        }
    }

    private void lockStarted(String kind, String user, String from) {
        log.warn("FTP logins locked by {} after {} failures (user '{}' from {}): refused for {}", kind,
                kind.equals("account") ? policy.maxFailuresPerAccount() : policy.maxFailuresPerAddress(), user, from,
                policy.lockout());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("locked", kind);
        detail.put("user", user);
        detail.put("address", from);
        detail.put("lockout", policy.lockout().toString());
        record("ftp.login-locked", detail);
    }

    private void record(String action, Map<String, ?> detail) {
        try {
            audit.accept(action, detail);
        } catch (RuntimeException e) { // the store being down must not turn a refusal into something else
            log.warn("FTP login audit row could not be written: {}", e.getClass().getSimpleName());
        }
    }

    private boolean lockedKey(String key, long now) {
        Failures f = key == null ? null : failures.get(key);
        if (f == null) {
            return false;
        }
        synchronized (f) {
            return f.lockedUntil > now;
        }
    }

    /** Counts one failure; true when this one started a lock. */
    private boolean count(String key, int max, long now) {
        if (key == null || max <= 0) {
            return false;
        }
        if (failures.size() >= MAX_KEYS && !failures.containsKey(key)) {
            prune(now);
        }
        Failures f = failures.computeIfAbsent(key, k -> new Failures());
        synchronized (f) {
            if (f.lockedUntil > now) {
                return false;
            }
            if (now - f.windowStart >= policy.window().toMillis()) {
                f.windowStart = now;
                f.count = 0;
            }
            if (++f.count >= max) {
                f.lockedUntil = now + policy.lockout().toMillis();
                f.count = 0;
                return true;
            }
            return false;
        }
    }

    private void prune(long now) {
        failures.entrySet().removeIf(e -> {
            Failures f = e.getValue();
            synchronized (f) {
                return f.lockedUntil <= now && now - f.windowStart >= policy.window().toMillis();
            }
        });
        if (failures.size() >= MAX_KEYS) { // a flood of fresh keys: keep the locks, forget the counts
            failures.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().lockedUntil <= now;
                }
            });
        }
    }

    private static String accountKey(String user) {
        return user == null ? null : "u:" + user;
    }

    private static String addressKey(InetAddress address) {
        return address == null ? null : "a:" + address.getHostAddress();
    }

    /** The user name as typed, safe to log: printable ASCII only, at most 64 characters. */
    static String clean(String user) {
        if (user == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < user.length() && b.length() < 64; i++) {
            char c = user.charAt(i);
            b.append(c >= 0x21 && c < 0x7f && c != '\'' && c != '"' && c != '\\' ? c : '?');
        }
        return b.toString();
    }
}
