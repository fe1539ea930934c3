package uk.anprhub.access;

import uk.anprhub.audit.AuditLog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

import java.util.Map;

/** The failed-login trail: each failure is logged and audited (account name and source address, never the password) and counted. */
@Component
class FailedLogins {

    private static final Logger log = LoggerFactory.getLogger(FailedLogins.class);

    private final LoginThrottle throttle;
    private final AuditLog audit;

    FailedLogins(LoginThrottle throttle, AuditLog audit) {
        this.throttle = throttle;
        this.audit = audit;
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        String account = AuditLog.printable(event.getAuthentication().getName(), 64);
        String address = event.getAuthentication().getDetails() instanceof WebAuthenticationDetails d
                ? d.getRemoteAddress() : AuditLog.sourceAddress();
        throttle.failed(account, address);
        log.warn("Failed login for account '{}' from {}: {}", account, address, event.getException().getClass().getSimpleName());
        audit.record(account, "login.failed", Map.of("source", String.valueOf(address),
                "error", event.getException().getClass().getSimpleName()));
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        throttle.succeeded(event.getAuthentication().getName());
    }
}
