package uk.anprhub.transport.ftp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.access.LoginThrottle;

import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Brute-force protection of the FTP logins ({@link FtpProperties.Logins}) on the hub's one {@link LoginThrottle}:
 * failed logins counted per account and per source address across connections; a locked account or address is
 * refused whatever the password. Each failure is logged and audited (user name made printable, never the password);
 * a refused attempt during a lock is not, so a flood cannot fill the audit table.
 */
final class LoginGuard {

    private static final Logger log = LoggerFactory.getLogger(LoginGuard.class);

    private final FtpProperties.Logins policy;
    private final LoginThrottle throttle;
    private final BiConsumer<String, Map<String, ?>> audit;

    /** @param audit {@code AuditLog::record}, or a no-op */
    LoginGuard(FtpProperties.Logins policy, Clock clock, BiConsumer<String, Map<String, ?>> audit) {
        this.policy = policy;
        this.throttle = new LoginThrottle(policy.maxFailuresPerAccount(), policy.maxFailuresPerAddress(),
                policy.window(), policy.lockout(), clock);
        this.audit = audit;
    }

    /** True when logins for {@code user} or from {@code address} are locked now. */
    boolean locked(String user, InetAddress address) {
        return throttle.locked(user, host(address)).isPresent();
    }

    /** Records a failed login: logged, audited, counted (an unknown user counts for its address only). */
    void failed(String user, boolean knownUser, InetAddress address, String why) {
        String who = AuditLog.printable(user == null ? "" : user, 64);
        String from = host(address);
        log.warn("FTP login failed: user '{}' from {} ({})", who, from, why);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("user", who);
        detail.put("address", String.valueOf(from));
        detail.put("reason", why);
        record("ftp.login-failed", detail);
        for (String kind : throttle.failed(knownUser ? user : null, from)) {
            log.warn("FTP logins locked by {} (user '{}' from {}): refused for {}", kind, who, from, policy.lockout());
            Map<String, Object> lock = new LinkedHashMap<>(detail);
            lock.remove("reason");
            lock.put("locked", kind);
            lock.put("lockout", policy.lockout().toString());
            record("ftp.login-locked", lock);
        }
    }

    private void record(String action, Map<String, ?> detail) {
        try {
            audit.accept(action, detail);
        } catch (RuntimeException e) { // the store being down must not turn a refusal into something else
            log.warn("FTP login audit row could not be written: {}", e.getClass().getSimpleName());
        }
    }

    private static String host(InetAddress address) {
        return address == null ? null : address.getHostAddress();
    }
}
