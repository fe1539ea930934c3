package uk.anprhub.ingest;

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
import uk.anprhub.ops.AuditLog;
import uk.anprhub.store.QuarantineStore;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ops API for refused input (role ops, audited): list the quarantine, fetch a raw payload, re-run quarantined
 * messages through their connector after a mapping or registry fix, reload the camera registry.
 */
@RestController
@RequestMapping("/api/v1")
class QuarantineApi {

    private final QuarantineStore quarantine;
    private final IngestService ingest;
    private final CameraRegistry cameras;
    private final AuditLog audit;

    QuarantineApi(QuarantineStore quarantine, IngestService ingest, CameraRegistry cameras, AuditLog audit) {
        this.quarantine = quarantine;
        this.ingest = ingest;
        this.cameras = cameras;
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

    /** Re-runs quarantined messages (filtered) through the current connectors and registry. */
    @PostMapping("/quarantine/reprocess")
    Map<String, Object> reprocess(@RequestParam(required = false) String reason, @RequestParam(required = false) String feed,
                                  @RequestParam(defaultValue = "1000") int limit, @RequestParam(required = false) String why) {
        why = AuditLog.requireWhy(why);
        List<Long> ids = quarantine.idsToReprocess(reason, feed, Math.min(limit, 10_000));
        int recovered = 0;
        int reads = 0;
        Map<String, Integer> still = new TreeMap<>();
        for (long id : ids) {
            IngestResult r = ingest.ingest(quarantine.message(id), true);
            if (r.acknowledged() && r.quarantined() == null) {
                quarantine.markRecovered(id, r.stored() == null ? 0 : r.stored());
                recovered++;
                reads += r.stored() == null ? 0 : r.stored();
            } else {
                still.merge(r.error() == null ? "partly-invalid" : r.error(), 1, Integer::sum);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attempted", ids.size());
        out.put("recovered", recovered);
        out.put("readsStored", reads);
        out.put("stillFailing", still);
        Map<String, Object> detail = new HashMap<>(out);
        detail.put("reason", reason == null ? "*" : reason);
        detail.put("feed", feed == null ? "*" : feed);
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

    @ExceptionHandler(EmptyResultDataAccessException.class)
    ResponseEntity<Map<String, String>> missing() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "not-found", "detail", "no such quarantine id"));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> invalid(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "invalid-request", "detail", String.valueOf(e.getMessage())));
    }
}
