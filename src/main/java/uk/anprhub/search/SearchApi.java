package uk.anprhub.search;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import uk.anprhub.access.AccessProperties;
import uk.anprhub.access.Justification;
import uk.anprhub.access.MissingJustificationException;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.store.ImageStore;
import uk.anprhub.store.RetentionProperties;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Audited search of the local store (role investigator, see SecurityConfiguration.apiRoles): search, picture
 * view, evidence export and convoy analysis (docs/search.md). Every call needs a {@link Justification}; its audit row
 * — parameters, justification and how many reads it discloses — is written before the answer, and no answer goes
 * out if it cannot be written.
 */
@RestController
@RequestMapping("/api/v1/reads")
class SearchApi {

    private static final MediaType ZIP = MediaType.parseMediaType("application/zip");
    private static final List<String> IMAGE_TYPES = List.of("image/jpeg", "image/png", "image/bmp");

    private final ReadSearch search;
    private final EvidenceExport export;
    private final Convoy convoy;
    private final ImageStore images;
    private final AuditLog audit;
    private final AccessProperties access;
    private final SearchProperties limits;
    private final Duration retention;
    private final Clock clock;

    SearchApi(ReadSearch search, EvidenceExport export, Convoy convoy, ImageStore images, AuditLog audit,
              AccessProperties access, SearchProperties limits, RetentionProperties retention, Clock clock) {
        this.search = search;
        this.export = export;
        this.convoy = convoy;
        this.images = images;
        this.audit = audit;
        this.access = access;
        this.limits = limits;
        this.retention = Duration.ofDays(retention.days());
        this.clock = clock;
    }

    /** The purpose codes a search may give (the force's list; no personal data, not audited). */
    @GetMapping("/purposes")
    List<String> purposes() {
        return access.purposes();
    }

    @GetMapping("/search")
    Map<String, Object> searchGet(@ModelAttribute SearchRequest request) {
        return search(request);
    }

    @PostMapping("/search")
    Map<String, Object> search(@RequestBody SearchRequest request) {
        Justification why = Justification.require(request.reason(), request.reference(), request.purpose(), access);
        SearchQuery q = SearchQuery.of(request, limits, retention);
        ReadSearch.Page page = search.page(q);
        Map<String, Object> detail = detail(why, q.describe(), page.hits().size());
        detail.put("page", q.after() == null ? "first" : "next");
        audit.record("reads.search", detail);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("count", page.hits().size());
        answer.put("results", search.present(page.hits()));
        if (page.next() != null) { // absent on the last page
            answer.put("nextCursor", page.next().token());
        }
        return answer;
    }

    /**
     * One picture of a read. Each view is an audit row; {@code reference} (optional) ties it to the search it came
     * from (the page sends its search's reference).
     */
    @GetMapping("/{readId}/images/{kind}")
    ResponseEntity<?> image(@PathVariable String readId, @PathVariable String kind,
                            @RequestParam(required = false) String reference, HttpServletResponse response) throws IOException {
        if (!ReadSearch.IMAGE_FIELDS.containsKey(kind)) {
            throw new SearchRefusedException("kind: plate or overview");
        }
        UUID id;
        try {
            id = UUID.fromString(readId);
        } catch (IllegalArgumentException e) {
            throw new SearchRefusedException("readId: not a read id");
        }
        ReadSearch.Hit hit = search.find(id);
        String type = hit == null ? null
                : search.parse(hit.body()).path(ReadSearch.IMAGE_FIELDS.get(kind)).path("contentType").asText(null);
        InputStream in = null;
        if (type != null) {
            try {
                in = images.open(hit.capturedAt().atOffset(ZoneOffset.UTC).toLocalDate(), id, kind);
            } catch (NoSuchFileException gone) {
                in = null;
            }
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("readId", id.toString());
        detail.put("kind", kind);
        if (hit != null) {
            detail.put("cameraId", hit.cameraId());
            detail.put("capturedAt", hit.capturedAt().toString());
        }
        if (reference != null && !reference.isBlank()) {
            detail.put("reference", AuditLog.printable(reference.strip(), Justification.MAX_TEXT));
        }
        detail.put("count", in == null ? 0 : 1);
        try (InputStream body = in) {
            audit.record("reads.image.view", detail);
            if (body == null) {
                return ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(Map.of("error", "not-found", "detail", "no such picture (never stored, or past retention)"));
            }
            response.setStatus(200);
            response.setContentType(IMAGE_TYPES.contains(type) ? type : MediaType.APPLICATION_OCTET_STREAM_VALUE);
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "inline");
            body.transferTo(response.getOutputStream());
            return null;
        }
    }

    /**
     * An evidence export (ZIP, see {@link EvidenceExport}). The count is checked against the cap and audited before
     * the first byte; the ZIP is written straight to the response (no async request timeout, nothing held whole).
     */
    @PostMapping("/export")
    void export(@RequestBody SearchRequest request, Authentication who, HttpServletResponse response) throws IOException {
        Justification why = Justification.require(request.reason(), request.reference(), request.purpose(), access);
        SearchQuery q = SearchQuery.of(request, limits, retention);
        EvidenceExport.Format format = format(request.format());
        boolean withImages = !Boolean.FALSE.equals(request.images());
        int count = search.count(q, limits.exportMaxReads());
        if (count > limits.exportMaxReads()) {
            throw new SearchRefusedException("the search matches more than " + limits.exportMaxReads()
                    + " reads, the most one export holds: narrow the time range or the filters");
        }
        var at = clock.instant();
        Map<String, Object> detail = detail(why, q.describe(), count);
        detail.put("format", format.name().toLowerCase(Locale.ROOT));
        detail.put("images", withImages);
        audit.record("reads.export", detail);

        Map<String, Object> header = new LinkedHashMap<>();
        header.put("exportedBy", who.getName());
        header.put("exportedAt", at.toString());
        header.put("query", q.describe());
        header.put("justification", Map.of("reason", why.reason(), "reference", why.reference(), "purpose", why.purpose()));
        header.put("expectedCount", count);
        String name = "evidence-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(at) + ".zip";
        response.setStatus(200);
        response.setContentType(ZIP.toString());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        OutputStream out = response.getOutputStream();
        export.write(q, format, withImages, header, out);
        out.flush();
    }

    @PostMapping("/convoy")
    Map<String, Object> convoy(@RequestBody ConvoyRequest request) {
        Justification why = Justification.require(request.reason(), request.reference(), request.purpose(), access);
        Convoy.Query q = Convoy.check(request, limits, retention);
        Convoy.Result r = convoy.run(q);
        Map<String, Object> detail = detail(why, q.describe(), r.vehicles().size());
        detail.put("targetSightings", r.targetSightings());
        audit.record("reads.convoy", detail);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("targetSightings", r.targetSightings());
        answer.put("targetTruncated", r.targetTruncated());
        answer.put("count", r.vehicles().size());
        answer.put("vehicles", r.vehicles());
        return answer;
    }

    private static EvidenceExport.Format format(String f) {
        if (f == null || f.isBlank() || f.equalsIgnoreCase("json")) {
            return EvidenceExport.Format.JSON;
        }
        if (f.equalsIgnoreCase("csv")) {
            return EvidenceExport.Format.CSV;
        }
        throw new SearchRefusedException("format: json or csv");
    }

    private static Map<String, Object> detail(Justification why, Map<String, Object> parameters, int count) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reason", why.reason());
        d.put("reference", why.reference());
        d.put("purpose", why.purpose());
        d.putAll(parameters);
        d.put("count", count);
        return d;
    }

    @ExceptionHandler(MissingJustificationException.class)
    ResponseEntity<Map<String, Object>> missing(MissingJustificationException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "missing-justification", "fields", e.fields(),
                "detail", e.getMessage()));
    }

    @ExceptionHandler(SearchRefusedException.class)
    ResponseEntity<Map<String, Object>> refused(SearchRefusedException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "bad-query", "detail", e.getMessage()));
    }
}
