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
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.store.QuarantineStore;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Ops API for refused input (role ops): list the quarantine, fetch a raw payload, re-run quarantined messages after a
 * mapping or registry fix, reload the camera registry and the connectors. HTTP only: the work and its audit are in
 * {@link QuarantineService}.
 */
@RestController
@RequestMapping("/api/v1")
class QuarantineApi {

    private final QuarantineService service;
    private final CameraReloads cameras;

    QuarantineApi(QuarantineService service, CameraReloads cameras) {
        this.service = service;
        this.cameras = cameras;
    }

    @GetMapping("/quarantine")
    List<QuarantineStore.Row> list(@RequestParam(required = false) String reason, @RequestParam(required = false) String feed,
                                   @RequestParam(defaultValue = "QUARANTINED") String status,
                                   @RequestParam(defaultValue = "100") int limit) {
        return service.list(reason, feed, status, limit);
    }

    /**
     * The bytes as received (audited). Always a download, never a page of the hub's origin (a sender's HTML or SVG
     * would run as the console's script): octet-stream as an attachment, the type the sender claimed in
     * {@code X-Original-Content-Type}.
     */
    @GetMapping("/quarantine/{id}/payload")
    ResponseEntity<byte[]> payload(@PathVariable long id, @RequestParam(required = false) String why) {
        RawMessage message = service.payload(id, why);
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
        return service.reprocess(reason, feed, after, limit, why).fields();
    }

    /** Reads the camera files again; audited {@code cameras.reload} with the counts before and after and {@code why} if given. */
    @PostMapping("/cameras/reload")
    Map<String, Object> reloadCameras(@RequestParam(required = false) String why) throws IOException {
        return Map.of("cameras", cameras.byRequest(why));
    }

    /** Reads the connector and mapping files again (as the watcher does every few seconds); a broken one keeps its previous version. */
    @PostMapping("/connectors/reload")
    ConnectorCatalog.Reloaded reloadConnectors(@RequestParam(required = false) String why) {
        return service.reloadConnectors(why);
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
