package uk.anprhub.national;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import uk.anprhub.access.AccessProperties;
import uk.anprhub.access.Justification;
import uk.anprhub.access.MissingJustificationException;
import uk.anprhub.audit.AuditLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The force's door to national data: {@code POST /api/v1/national/search} (role investigator) proxies a search to the
 * NAS search API with the force's credentials and the investigator's reason, reference and purpose, audited here
 * before it is sent ({@code national.search}) and after ({@code national.search.answered} with the count, or
 * {@code national.search.failed}). A search reaching further back than {@code anpr.access.national-window} needs a
 * {@code supervisorAuthorisation}, which a supervisor gives with {@code POST /api/v1/national/authorisations} (role
 * supervisor, SecurityConfiguration#apiRoles).
 */
@RestController
@RequestMapping("/api/v1/national")
class NationalSearchApi {

    private final NasSearchClient nas;
    private final Authorisations authorisations;
    private final AuditLog audit;
    private final AccessProperties access;
    private final NationalPolicy policy;
    private final NationalProperties props;
    private final Clock clock;

    NationalSearchApi(NasSearchClient nas, Authorisations authorisations, AuditLog audit, AccessProperties access,
                      NationalPolicy policy, NationalProperties props, Clock clock) {
        this.nas = nas;
        this.authorisations = authorisations;
        this.audit = audit;
        this.access = access;
        this.policy = policy;
        this.props = props;
        this.clock = clock;
    }

    /** A national search: the plate, the time range (to defaults to now) and why. */
    record SearchRequest(String vrm, Instant from, Instant to, String reason, String reference, String purpose,
                         String supervisorAuthorisation) {
    }

    /** A supervisor's authorisation of one search by {@code investigator} under {@code reference}. */
    record AuthorisationRequest(String investigator, String reference, String reason, Duration validFor) {
    }

    /** A refusal with its HTTP status, answered as {@code {"error", "detail"}}. */
    static final class Refusal extends RuntimeException {
        final HttpStatus status;
        final String error;

        Refusal(HttpStatus status, String error, String detail) {
            super(detail);
            this.status = status;
            this.error = error;
        }
    }

    /** What the page's form needs: the force's purpose codes and the window beyond which an authorisation is needed. */
    @org.springframework.web.bind.annotation.GetMapping("/policy")
    Map<String, Object> policy() {
        return Map.of("purposes", access.purposes(), "nationalWindowDays", policy.nationalWindow().toDays(),
                "minReason", Justification.MIN_REASON);
    }

    @PostMapping("/search")
    Map<String, Object> search(@RequestBody SearchRequest q, Authentication who) throws InterruptedException {
        Justification why = Justification.require(q.reason(), q.reference(), q.purpose(), access);
        VrmQuery vrm = VrmQuery.parse(q.vrm());
        Instant now = clock.instant();
        Instant to = q.to() == null ? now : q.to();
        if (q.from() == null) {
            throw new IllegalArgumentException("from is required (ISO-8601, e.g. 2026-01-01T00:00:00Z)");
        }
        if (!q.from().isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (Duration.between(q.from(), to).compareTo(policy.nationalMaxSpan()) > 0) {
            throw new IllegalArgumentException("the time range may span at most " + policy.nationalMaxSpan().toDays() + " days");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("vrm", vrm.vrm()); // the auditor must see what was searched for (never in a log line)
        detail.put("match", vrm.match());
        detail.put("from", q.from().toString());
        detail.put("to", to.toString());
        detail.put("reason", why.reason());
        detail.put("reference", why.reference());
        detail.put("purpose", why.purpose());
        String user = who.getName();
        String authorisation = blankToNull(q.supervisorAuthorisation());
        Instant windowStart = now.minus(policy.nationalWindow());
        if (q.from().isBefore(windowStart)) {
            if (authorisation == null) {
                detail.put("refused", "supervisor-authorisation-required");
                audit.record("national.search.refused", detail);
                throw new Refusal(HttpStatus.FORBIDDEN, "supervisor-authorisation-required", "this search reaches back before "
                        + windowStart + " (more than " + policy.nationalWindow().toDays() + " days, anpr.access.national-window):"
                        + " it needs a supervisorAuthorisation, which a supervisor gives for your account and this reference"
                        + " (POST /api/v1/national/authorisations); or search from " + windowStart + " onwards");
            }
            detail.put("supervisorAuthorisation", authorisation);
            try {
                authorisations.claim(authorisation, user, why.reference());
            } catch (Authorisations.Refused e) {
                detail.put("refused", e.getMessage());
                audit.record("national.search.refused", detail);
                throw new Refusal(HttpStatus.FORBIDDEN, "supervisor-authorisation-invalid", e.getMessage());
            }
        } else if (authorisation != null) {
            detail.put("supervisorAuthorisation", authorisation + " (not needed: within the window, not used)");
        }
        detail.put("nas", nas.url().toString());
        audit.record("national.search", detail); // before it is sent: an attempt is on record even if the hub dies now

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("vrm", vrm.vrm());
        body.put("match", vrm.match());
        body.put("from", q.from().toString());
        body.put("to", to.toString());
        body.put("reason", why.reason());
        body.put("reference", why.reference());
        body.put("purpose", why.purpose());
        body.put("requestedBy", user);
        if (q.from().isBefore(windowStart)) {
            body.put("supervisorAuthorisation", authorisation);
        }
        body.put("maxResults", props.maxResults());
        JsonNode answer;
        try {
            answer = nas.search(body);
        } catch (NasSearchClient.Unavailable e) {
            release(q, windowStart, authorisation, user);
            audit.record("national.search.failed", Map.of("reference", why.reference(), "outcome", "nas-unavailable", "error", e.getMessage()));
            throw new Refusal(HttpStatus.SERVICE_UNAVAILABLE, "nas-unavailable", "The National ANPR Service cannot be reached now ("
                    + e.getMessage() + "). Nothing was searched; the attempt is recorded. Try again later, or search the"
                    + " local store (last 7 days) meanwhile.");
        } catch (NasSearchClient.Refused e) {
            release(q, windowStart, authorisation, user);
            audit.record("national.search.failed", Map.of("reference", why.reference(), "outcome", "nas-refused", "status", e.status));
            throw new Refusal(HttpStatus.BAD_GATEWAY, "nas-refused", e.getMessage());
        }
        int count = answer.path("results").size();
        Map<String, Object> answered = new LinkedHashMap<>();
        answered.put("reference", why.reference());
        answered.put("count", count);
        answered.put("total", answer.path("total").asLong(count));
        answered.put("truncated", answer.path("truncated").asBoolean(false));
        audit.record("national.search.answered", answered);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", answer.get("results"));
        out.put("count", count);
        out.put("total", answer.path("total").asLong(count));
        out.put("truncated", answer.path("truncated").asBoolean(false));
        out.put("source", "nas");
        return out;
    }

    @PostMapping("/authorisations")
    ResponseEntity<Authorisations.Issued> authorise(@RequestBody AuthorisationRequest a, Authentication who) {
        String investigator = a.investigator() == null ? "" : a.investigator().strip();
        if (investigator.isEmpty() || investigator.length() > 100) {
            throw new IllegalArgumentException("investigator: the account name of the investigator who will search");
        }
        if (investigator.equals(who.getName())) {
            throw new Refusal(HttpStatus.FORBIDDEN, "own-search", "a supervisor cannot authorise a search of their own");
        }
        String reference = a.reference() == null ? "" : a.reference().strip();
        String reason = a.reason() == null ? "" : a.reason().strip();
        if (reference.isEmpty() || reference.length() > Justification.MAX_TEXT) {
            throw new IllegalArgumentException("reference: the incident or case number the search is for");
        }
        if (reason.length() < Justification.MIN_REASON || reason.length() > Justification.MAX_TEXT) {
            throw new IllegalArgumentException("reason: why the search may reach further back, at least "
                    + Justification.MIN_REASON + " characters");
        }
        Duration valid = a.validFor() == null ? policy.authorisationValidity() : a.validFor();
        if (valid.isNegative() || valid.isZero() || valid.compareTo(policy.authorisationMaxValidity()) > 0) {
            throw new IllegalArgumentException("validFor: more than 0 and at most " + policy.authorisationMaxValidity());
        }
        Authorisations.Issued issued = authorisations.issue(who.getName(), investigator, reference, reason, clock.instant().plus(valid));
        audit.record("national.authorise", Map.of("authorisation", issued.authorisation(), "investigator", investigator,
                "reference", reference, "reason", reason, "validUntil", issued.validUntil().toString()));
        return ResponseEntity.status(HttpStatus.CREATED).body(issued);
    }

    private void release(SearchRequest q, Instant windowStart, String authorisation, String user) {
        if (authorisation != null && q.from().isBefore(windowStart)) {
            authorisations.release(authorisation, user);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @ExceptionHandler(Refusal.class)
    ResponseEntity<Map<String, String>> refused(Refusal e) {
        return ResponseEntity.status(e.status).body(Map.of("error", e.error, "detail", e.getMessage()));
    }

    @ExceptionHandler(MissingJustificationException.class)
    ResponseEntity<Map<String, Object>> unjustified(MissingJustificationException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "justification-required", "fields", e.fields(), "detail", e.getMessage()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> invalid(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "invalid-request", "detail", String.valueOf(e.getMessage())));
    }
}
