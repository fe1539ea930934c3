package uk.anprhub.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Brute-force protection of HTTP Basic and form login ({@code anpr.login.*}). After too many failed logins within
 * {@code window}, requests that present credentials for that account, or from that source address, get 429 +
 * {@code Retry-After} for {@code lock} — even with the right password.
 *
 * @param maxFailures            failed logins per account name within the window before the account is locked
 * @param maxFailuresPerAddress  failed logins per source address (any account names) before the address is locked
 * @param window                 how long a failure counts
 * @param lock                   how long a locked account or address is refused
 */
@ConfigurationProperties("anpr.login")
public record LoginProperties(@DefaultValue("5") int maxFailures, @DefaultValue("20") int maxFailuresPerAddress,
                              @DefaultValue("15m") Duration window, @DefaultValue("15m") Duration lock) {
}
