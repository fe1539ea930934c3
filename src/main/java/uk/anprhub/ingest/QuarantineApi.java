package uk.anprhub.ingest;

import uk.anprhub.message.RawMessage;

import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.store.QuarantineStore;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ops API for refused input (role ops, audited): list the quarantine, fetch a raw payload, re-run quarantined
 * messages through their connector after a mapping or registry fix, reload the camera registry and the connectors.
 */
@RestController
@RequestMapping("/api/v1")
class QuarantineApi {

    private final QuarantineStore quarantine;
    private final Reprocessing reprocessing;
    private final QuarantineHeld held;
    private final CameraRegistry cameras;
    private final ConnectorCatalog connectors;
    private final AuditLog audit;

    QuarantineApi(QuarantineStore quarantine, Reprocessing reprocessing, QuarantineHeld held, CameraRegistry cameras,
                  ConnectorCatalog connectors, AuditLog audit) {
        this.quarantine = quarantine;
        this.reprocessing = reprocessing;
        this.held = held;
        this.cameras = cameras;
        this.connectors = connectors;
        this.audit = audit;
    }

    @GetMapping("/quarantine")
    List<QuarantineStore.Entry> list(@RequestParam(required = false) String reason, @RequestParam(required = false) String feed,
                                     @RequestParam(defaultValue = "QUARANTINED") String status,
                                     @RequestParam(defaultValue = "100") int limit) {
        List<QuarantineStore.Entry> entries = quarantine.list(reason, feed, status, Math.min(limit, 1000));
        // file names and reasons can hold plates: a listing is a disclosure too
        Map<String, Object> detail = new HashMap<>();
        detail.put("reason", reason == null ? "*" : reason);
        detail.put("feed", feed == null ? "*" : feed);
        detail.put("status", status);
        detail.put("rows", entries.size());
        audit.record("quarantine.list", detail);
        return entries;
    }

    /**
     * The bytes as received: personal data, so every fetch is audited. Always a download, never a page of the hub's
     * origin (a sender's HTML or SVG would run as the console's script): octet-stream as an attachment, the type the
     * sender claimed in {@code X-Original-Content-Type}.
     */
    @GetMapping("/quarantine/{id}/payload")
    ResponseEntity<byte[]> payload(@PathVariable long id, @RequestParam(required = false) String why) {
        String reason = AuditLog.requireWhy(why);
        RawMessage message = quarantine.message(id);
        audit.record("quarantine.payload", Map.of("id", id, "why", reason));
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
        headers.setContentDisposition(ContentDisposition.attachment().filename("quarantine-" + id + ".bin").build());
        if (message.contentType() != null) {
            headers.set("X-Original-Content-Type", headerSafe(message.contentType()));
        }
        return ResponseEntity.ok().headers(headers).body(message.payload());
    }

    /** Printable ASCII only, bounded: the sender chose this text. */
    private static String headerSafe(String s) {
        String t = s.chars().filter(c -> c >= 0x20 && c < 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return t.length() > 200 ? t.substring(0, 200) : t;
    }

    /**
     * Re-runs quarantined messages (filtered) through the current connectors and registry: at most {@code limit}
     * (default 1,000, at most 10,000) per call, in id order after {@code after}; the answer carries the totals and
     * {@code next} to continue with (docs/api.md).
     */
    @PostMapping("/quarantine/reprocess")
    Map<String, Object> reprocess(@RequestParam(required = false) String reason, @RequestParam(required = false) String feed,
                                  @RequestParam(defaultValue = "0") long after,
                                  @RequestParam(defaultValue = "" + Reprocessing.DEFAULT_LIMIT) int limit,
                                  @RequestParam(required = false) String why) {
        why = AuditLog.requireWhy(why);
        if (limit < 1 || limit > Reprocessing.MAX_PER_CALL) {
            throw new IllegalArgumentException("'limit' must be 1 to " + Reprocessing.MAX_PER_CALL + "; continue with 'after'");
        }
        Reprocessing.Totals t = reprocessing.reprocess(reason, feed, after, limit);
        held.refresh();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("matched", t.matched());
        out.put("reprocessed", t.reprocessed());
        out.put("recovered", t.recovered());
        out.put("stored", t.stored());
        out.put("stillFailing", t.stillFailing());
        out.put("stillFailingByReason", t.stillFailingByReason());
        out.put("remaining", t.remaining());
        out.put("next", t.next());
        out.put("limit", t.limit());
        out.put("complete", t.complete());
        Map<String, Object> detail = new HashMap<>(out);
        detail.put("reason", reason == null ? "*" : reason);
        detail.put("feed", feed == null ? "*" : feed);
        detail.put("after", after);
        detail.put("why", why);
        audit.record("quarantine.reprocess", detail);
        return out;
    }

    @PostMapping("/cameras/reload")
    Map<String, Object> reloadCameras() throws IOException {
        int n = cameras.reload();
        audit.record("cameras.reload", Map.of("cameras", n));
        return Map.of("cameras", n);
    }

    /** Reads the connector and mapping files again (as the watcher does every few seconds); a broken one keeps its previous version. */
    @PostMapping("/connectors/reload")
    ConnectorCatalog.Reloaded reloadConnectors(@RequestParam(required = false) String why) {
        String reason = AuditLog.requireWhy(why);
        ConnectorCatalog.Reloaded r = connectors.reload();
        audit.record("connectors.reload", Map.of("loaded", r.loaded(), "changed", r.changed(), "broken", r.broken().keySet(), "why", reason));
        return r;
    }

    @ExceptionHandler(EmptyResultDataAccessException.class)
    ResponseEntity<Map<String, String>> missing() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "not-found", "detail", "no such quarantine id"));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> invalid(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "invalid-request", "detail", String.valueOf(e.getMessage())));
    }
}
