package uk.anprhub.hotlist;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import uk.anprhub.audit.AuditLog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/hotlists} (role hotlist-manager; docs/hotlists.md): lists and entries as JSON, CSV import as an
 * atomic replace or a delta. Every change, and every look at entries, is audited in the change's own transaction.
 * A change answers once this hub's index matches with it ({@code active}).
 */
@RestController
@RequestMapping("/api/v1/hotlists")
class HotlistApi {

    /** Most entries one JSON call may add. */
    private static final int MAX_JSON_ENTRIES = 10_000;

    private final HotlistStore store;
    private final Hotlists hotlists;
    private final AuditLog audit;
    private final HotlistProperties props;

    HotlistApi(HotlistStore store, Hotlists hotlists, AuditLog audit, HotlistProperties props) {
        this.store = store;
        this.hotlists = hotlists;
        this.audit = audit;
        this.props = props;
    }

    @GetMapping
    List<Hotlist> lists() {
        return store.lists();
    }

    @GetMapping("/{id}")
    ResponseEntity<Hotlist> list(@PathVariable String id) {
        return ResponseEntity.of(store.list(id));
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(@RequestBody Hotlist body) throws InterruptedException {
        Hotlist l = body.cleaned(null);
        store.create(l, () -> audit.record("hotlist-create", describe(l)));
        return ResponseEntity.status(HttpStatus.CREATED).body(answer(Map.of("list", l.id())));
    }

    @PutMapping("/{id}")
    ResponseEntity<Map<String, Object>> update(@PathVariable String id, @RequestBody Hotlist body) throws InterruptedException {
        Hotlist l = body.cleaned(id);
        if (!store.update(l, () -> audit.record("hotlist-update", describe(l)))) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(answer(Map.of("list", l.id())));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Map<String, Object>> delete(@PathVariable String id) throws InterruptedException {
        if (!store.delete(id, () -> audit.record("hotlist-delete", Map.of("list", id)))) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(answer(Map.of("list", id)));
    }

    /** The entries (personal data): audited with how many were disclosed; {@code vrm} looks one plate up. */
    @GetMapping("/{id}/entries")
    ResponseEntity<List<Entry>> entries(@PathVariable String id, @RequestParam(required = false) String vrm,
                                        @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") long offset) {
        if (store.list(id).isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        String v = vrm == null ? null : vrm.strip().toUpperCase(java.util.Locale.ROOT).replace(" ", "");
        List<Entry> out = store.entries(id, v, Math.max(1, Math.min(limit, 10_000)), Math.max(0, offset));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("list", id);
        if (v != null) {
            detail.put("vrm", v);
        }
        detail.put("limit", limit);
        detail.put("offset", offset);
        detail.put("count", out.size());
        audit.record("hotlist-entries-view", detail);
        return ResponseEntity.ok(out);
    }

    /** Adds or updates (same VRM) entries; {@code "action":"remove"} on an entry removes that VRM. */
    @PostMapping("/{id}/entries")
    ResponseEntity<Map<String, Object>> addEntries(@PathVariable String id, @RequestBody List<Entry> body) throws InterruptedException {
        if (body.size() > MAX_JSON_ENTRIES) {
            throw new IllegalArgumentException("at most " + MAX_JSON_ENTRIES + " entries per call: use the CSV import for more");
        }
        List<Entry> entries = new ArrayList<>(body.size());
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            try {
                entries.add(body.get(i).cleaned());
            } catch (IllegalArgumentException e) {
                problems.add("entry " + i + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new CsvImport.Refused(problems.subList(0, Math.min(problems.size(), CsvImport.MAX_PROBLEMS)), problems.size());
        }
        return apply(id, entries, false, "hotlist-entries-add", Map.of());
    }

    @DeleteMapping("/{id}/entries/{entryId}")
    ResponseEntity<Map<String, Object>> removeEntry(@PathVariable String id, @PathVariable long entryId) throws InterruptedException {
        if (!store.removeEntry(id, entryId, () -> audit.record("hotlist-entry-remove", Map.of("list", id, "entry", entryId)))) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(answer(Map.of("list", id, "removed", 1)));
    }

    /**
     * CSV import (docs/hotlists.md#csv): {@code mode=replace} makes the file the whole list, {@code mode=delta} adds,
     * updates and (column {@code action}) removes. Any bad line refuses the file whole: 400 naming the lines.
     */
    @PostMapping(path = "/{id}/import", consumes = {"text/csv", "text/plain", "application/octet-stream"})
    ResponseEntity<Map<String, Object>> importCsv(@PathVariable String id, @RequestParam String mode, HttpServletRequest request)
            throws IOException, InterruptedException {
        if (!mode.equals("replace") && !mode.equals("delta")) {
            throw new IllegalArgumentException("mode must be replace or delta");
        }
        if (request.getContentLengthLong() > props.maxImportBytes().toBytes()) {
            throw new CsvImport.TooLarge("the file is larger than " + props.maxImportBytes().toBytes() + " bytes");
        }
        if (store.list(id).isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        List<Entry> entries = CsvImport.parse(request.getInputStream(), mode.equals("delta"),
                props.maxImportBytes().toBytes(), props.maxImportLines());
        return apply(id, entries, mode.equals("replace"), "hotlist-import", Map.of("lines", entries.size()));
    }

    private ResponseEntity<Map<String, Object>> apply(String id, List<Entry> entries, boolean replace, String action,
                                                      Map<String, Object> extra) throws InterruptedException {
        if (store.list(id).isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        HotlistStore.Change c = store.apply(id, entries, replace, change -> {
            Map<String, Object> detail = new LinkedHashMap<>(extra);
            detail.put("list", change.list());
            detail.put("mode", change.mode());
            detail.put("added", change.added());
            detail.put("removed", change.removed());
            detail.put("count", change.entries());
            audit.record(action, detail);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("list", c.list());
        out.put("mode", c.mode());
        out.put("added", c.added());
        out.put("removed", c.removed());
        out.put("entries", c.entries());
        return ResponseEntity.ok(answer(out));
    }

    /** The answer to a change, once this hub's index has it (active), or said not to yet. */
    private Map<String, Object> answer(Map<String, Object> what) throws InterruptedException {
        long version = hotlists.storedVersion();
        hotlists.changed();
        Map<String, Object> out = new LinkedHashMap<>(what);
        out.put("active", hotlists.awaitVersion(version, 30_000));
        return out;
    }

    private static Map<String, Object> describe(Hotlist l) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("list", l.id());
        d.put("owner", l.owner());
        d.put("hitRole", l.hitRole());
        d.put("hitRetentionDays", l.hitRetentionDays());
        d.put("fuzzy", l.fuzzy());
        return d;
    }

    @ExceptionHandler(CsvImport.Refused.class)
    ResponseEntity<Map<String, Object>> refused(CsvImport.Refused e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "import-refused");
        body.put("detail", "nothing applied: " + e.count() + " bad line(s)");
        body.put("badLines", e.count());
        body.put("problems", e.problems());
        return ResponseEntity.badRequest().body(body);
    }

    @ExceptionHandler(CsvImport.TooLarge.class)
    ResponseEntity<Map<String, String>> tooLarge(CsvImport.TooLarge e) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Map.of("error", "too-large", "detail", e.getMessage()));
    }

    @ExceptionHandler(IllegalStateException.class)
    ResponseEntity<Map<String, String>> conflict(IllegalStateException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "conflict", "detail", String.valueOf(e.getMessage())));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> invalid(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "invalid-request", "detail", String.valueOf(e.getMessage())));
    }
}
