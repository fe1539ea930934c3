package uk.anprhub.search;

import uk.anprhub.model.Confusions;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.support.HubIT;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audited search of the local store against the running hub (real PostgreSQL, real HTTP): each kind of plate
 * search, refusals, the audit row present when the answer arrives, keyset pages, pictures, the evidence export with
 * its manifest recomputed, convoy analysis, and the role boundary. Each test reads in a window of time of its own
 * (days back, random) so the reads of other tests sharing the hub never land in its results.
 */
class ReadSearchIT extends HubIT {

    static final String PASSWORD = "ops-test-password";
    /** A tiny JPEG (the hub sniffs the type from the first bytes). */
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1,
            0, 1, 0, 0, (byte) 0xFF, (byte) 0xD9};

    /** A quiet hour of its own, between one and six days ago. */
    static Instant window() {
        return Instant.now().minus(Duration.ofHours(24 + ThreadLocalRandom.current().nextInt(120)))
                .truncatedTo(ChronoUnit.SECONDS).plusMillis(ThreadLocalRandom.current().nextInt(3_600_000));
    }

    /** Three letters of this run, so plates are this test's own. */
    static String tag() {
        String letters = "ACEFHJKMNPRTUVWXY"; // none of them confusable
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) b.append(letters.charAt(ThreadLocalRandom.current().nextInt(letters.length())));
        return b.toString();
    }

    HttpRequest.Builder as(String user, String path) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + basic).header("X-Anpr-Client", "test")
                .timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> postAs(String user, String path, Object body) throws IOException, InterruptedException {
        return HTTP.send(as(user, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> query(String vrm, Instant around, String reference) {
        Map<String, Object> q = new LinkedHashMap<>();
        if (vrm != null) {
            q.put("vrm", vrm);
        }
        q.put("from", around.minus(Duration.ofHours(2)).toString());
        q.put("to", around.plus(Duration.ofHours(2)).toString());
        q.put("reason", "Stolen vehicle seen leaving the scene of a burglary");
        q.put("reference", reference);
        q.put("purpose", "crime-investigation");
        return q;
    }

    static String ref() {
        return "CAD-" + UUID.randomUUID();
    }

    /** Stores reads (plate, seconds after t0, camera) through the canonical feed, with pictures; returns their ids in order. */
    List<String> store(Instant t0, Object[]... reads) throws Exception {
        List<Map<String, Object>> body = new ArrayList<>();
        for (Object[] r : reads) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vrm", r[0]);
            m.put("captureTimeUtc", t0.plusSeconds(((Number) r[1]).longValue()).toString());
            m.put("cameraId", "MPS-DEMO-%04d".formatted((Integer) r[2]));
            m.put("direction", "TOWARDS");
            m.put("plateImage", Map.of("contentType", "image/jpeg", "data", Base64.getEncoder().encodeToString(JPEG)));
            m.put("overviewImage", Map.of("contentType", "image/jpeg", "data", Base64.getEncoder().encodeToString(JPEG)));
            body.add(m);
        }
        HttpResponse<String> r = postJson("/ingest/nas-json", JSON.writeValueAsString(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(r).path("readIds").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    List<String> plates(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("results").forEach(n -> out.add(n.path("vrm").asText()));
        return out;
    }

    @Test
    void exactWildcardAndFuzzyEachFindTheirPlates() throws Exception {
        Instant t0 = window();
        String t = tag();
        store(t0, new Object[]{"A812CDE", 1, 1}, new Object[]{t + "12AB", 2, 2}, new Object[]{t + "19AB", 3, 3},
                new Object[]{t + "12XY", 4, 4}, new Object[]{"Z" + t + "12AB", 5, 5});

        JsonNode exact = json(postAs("investigator", "/api/v1/reads/search", query(t + "12AB", t0, ref())));
        assertThat(plates(exact)).containsExactly(t + "12AB");
        JsonNode first = exact.path("results").get(0);
        assertThat(first.path("read").path("cameraId").asText()).isEqualTo("MPS-DEMO-0002");
        assertThat(first.path("camera").path("name").asText()).isEqualTo("Westminster Bridge NB");
        assertThat(first.path("camera").path("sourceId").asText()).isEqualTo("MPS-DEMO");
        assertThat(first.path("images").path("plate").asText()).endsWith("/images/plate");

        assertThat(plates(json(postAs("investigator", "/api/v1/reads/search", query(t + "1?AB", t0, ref())))))
                .containsExactlyInAnyOrder(t + "12AB", t + "19AB");
        assertThat(plates(json(postAs("investigator", "/api/v1/reads/search", query(t + "12*", t0, ref())))))
                .containsExactlyInAnyOrder(t + "12AB", t + "12XY");
        assertThat(plates(json(postAs("investigator", "/api/v1/reads/search", query("*" + t + "12AB", t0, ref())))))
                .containsExactlyInAnyOrder(t + "12AB", "Z" + t + "12AB");
        assertThat(plates(json(postAs("investigator", "/api/v1/reads/search", query("*" + t.substring(1) + "12A*", t0, ref())))))
                .containsExactlyInAnyOrder(t + "12AB", "Z" + t + "12AB");

        // the camera misread B as 8: an exact search misses it, a fuzzy one finds it
        assertThat(plates(json(postAs("investigator", "/api/v1/reads/search", query("AB12CDE", t0, ref()))))).isEmpty();
        Map<String, Object> fuzzy = query("ab12 cde", t0, ref());
        fuzzy.put("fuzzy", true);
        assertThat(plates(json(postAs("investigator", "/api/v1/reads/search", fuzzy)))).containsExactly("A812CDE");

        // GET takes the same query as parameters
        HttpResponse<String> get = HTTP.send(as("investigator", "/api/v1/reads/search?vrm=" + t + "12*&from=" + t0.minusSeconds(60)
                + "&to=" + t0.plusSeconds(60) + "&cameras=MPS-DEMO-0002,MPS-DEMO-0004&direction=towards&bbox=51,-1,52,1"
                + "&reason=Stolen+vehicle+seen+leaving&reference=CAD-1&purpose=crime-investigation").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(plates(json(get))).containsExactlyInAnyOrder(t + "12AB", t + "12XY");
    }

    @Test
    void withoutReasonReferenceOrPurposeTheSearchIsRefusedNamingTheField() throws Exception {
        Instant t0 = window();
        for (String field : List.of("reason", "reference", "purpose")) {
            String reference = ref();
            Map<String, Object> q = query("AB12CDE", t0, reference);
            q.remove(field);
            int before = jdbc.queryForObject("select count(*) from audit_log where action like 'reads.%'", Integer.class);
            HttpResponse<String> r = postAs("investigator", "/api/v1/reads/search", q);
            assertThat(r.statusCode()).as(field).isEqualTo(400);
            assertThat(json(r).path("error").asText()).isEqualTo("missing-justification");
            assertThat(json(r).path("fields").toString()).isEqualTo("[\"" + field + "\"]");
            assertThat(json(r).path("detail").asText()).contains(field);
            assertThat(jdbc.queryForObject("select count(*) from audit_log where detail ->> 'reference' = ?", Integer.class, reference)).isZero();
            assertThat(before).isNotNegative();
        }
        Map<String, Object> q = query("AB12CDE", t0, ref());
        q.put("purpose", "curiosity");
        assertThat(json(postAs("investigator", "/api/v1/reads/search", q)).path("fields").toString()).isEqualTo("[\"purpose\"]");
        q = query("AB12CDE", t0, ref());
        q.put("reason", "because");
        assertThat(json(postAs("investigator", "/api/v1/reads/search", q)).path("fields").toString()).isEqualTo("[\"reason\"]");
        // the same for export and convoy
        q = query("AB12CDE", t0, ref());
        q.remove("reference");
        assertThat(postAs("investigator", "/api/v1/reads/export", q).statusCode()).isEqualTo(400);
        assertThat(postAs("investigator", "/api/v1/reads/convoy", q).statusCode()).isEqualTo(400);
    }

    @Test
    void outOfBoundsQueriesAreRefusedWithoutQuotingThePlate() throws Exception {
        Instant t0 = window();
        Map<String, Object> q = query("AB%12_", t0, ref());
        HttpResponse<String> r = postAs("investigator", "/api/v1/reads/search", q);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).isEqualTo("bad-query");
        assertThat(r.body()).doesNotContain("AB%12");
        q = query("AB12CDE", t0, ref());
        q.put("from", t0.minus(Duration.ofDays(8)).toString());
        assertThat(json(postAs("investigator", "/api/v1/reads/search", q)).path("detail").asText()).contains("retention window");
        q = query("A*", t0, ref());
        assertThat(postAs("investigator", "/api/v1/reads/search", q).statusCode()).isEqualTo(400);
        q = query("AB12CDE", t0, ref());
        q.put("pageSize", 10_000);
        assertThat(postAs("investigator", "/api/v1/reads/search", q).statusCode()).isEqualTo(400);
    }

    @Test
    void theAuditRowIsThereWhenTheAnswerArrives() throws Exception {
        Instant t0 = window();
        String t = tag();
        store(t0, new Object[]{t + "77K", 1, 1}, new Object[]{t + "77K", 50, 2});
        String reference = ref();
        HttpResponse<String> r = postAs("investigator", "/api/v1/reads/search", query(t + "77K", t0, reference));
        assertThat(r.statusCode()).isEqualTo(200);
        // no waiting: the row was committed before the first byte of the answer
        Map<String, Object> row = jdbc.queryForMap("select actor, action, detail::text as detail from audit_log where detail ->> 'reference' = ?",
                reference);
        assertThat(row.get("actor")).isEqualTo("investigator");
        assertThat(row.get("action")).isEqualTo("reads.search");
        JsonNode detail = JSON.readTree((String) row.get("detail"));
        assertThat(detail.path("vrm").asText()).isEqualTo(t + "77K");
        assertThat(detail.path("count").asInt()).isEqualTo(2).isEqualTo(json(r).path("count").asInt());
        assertThat(detail.path("reason").asText()).isEqualTo("Stolen vehicle seen leaving the scene of a burglary");
        assertThat(detail.path("purpose").asText()).isEqualTo("crime-investigation");
        assertThat(detail.path("from").asText()).isNotEmpty();
        assertThat(detail.path("match").asText()).isEqualTo("exact");
    }

    @Test
    void pagesFollowTheCursorNewestFirstWithoutRepeats() throws Exception {
        Instant t0 = window();
        String t = tag();
        Object[][] reads = new Object[7][];
        for (int i = 0; i < 7; i++) reads[i] = new Object[]{t + "55P", i * 10, 1 + i};
        store(t0, reads);
        Map<String, Object> q = query(t + "55P", t0, ref());
        q.put("pageSize", 3);
        List<String> times = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            if (cursor != null) q.put("cursor", cursor);
            JsonNode page = json(postAs("investigator", "/api/v1/reads/search", q));
            sizes.add(page.path("count").asInt());
            page.path("results").forEach(n -> times.add(n.path("capturedAt").asText()));
            cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null; // absent on the last page
            if (sizes.size() == 1) {
                // reads arriving meanwhile, newer than the first page, do not shift the next pages
                store(t0, new Object[]{t + "55P", 3000, 9});
            }
        } while (cursor != null && sizes.size() < 10);
        assertThat(sizes).containsExactly(3, 3, 1);
        assertThat(times).doesNotHaveDuplicates().isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(Instant.parse(times.get(0))).isEqualTo(t0.plusSeconds(60));
    }

    @Test
    void aPictureViewIsAuditedAndServedAsWhatItIs() throws Exception {
        Instant t0 = window();
        String t = tag();
        String readId = store(t0, new Object[]{t + "31M", 1, 1}).get(0);
        String reference = ref();
        HttpResponse<byte[]> r = HTTP.send(as("investigator", "/api/v1/reads/" + readId + "/images/plate?reference=" + reference)
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(JPEG);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        Map<String, Object> row = jdbc.queryForMap("select actor, action, detail::text as detail from audit_log where detail ->> 'reference' = ?",
                reference);
        assertThat(row.get("actor")).isEqualTo("investigator");
        assertThat(row.get("action")).isEqualTo("reads.image.view");
        assertThat(JSON.readTree((String) row.get("detail")).path("readId").asText()).isEqualTo(readId);
        assertThat(JSON.readTree((String) row.get("detail")).path("kind").asText()).isEqualTo("plate");

        assertThat(HTTP.send(as("investigator", "/api/v1/reads/" + readId + "/images/raw").GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        assertThat(HTTP.send(as("investigator", "/api/v1/reads/" + UUID.randomUUID() + "/images/plate").GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(HTTP.send(as("ops", "/api/v1/reads/" + readId + "/images/plate").GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @Test
    void theExportZipHoldsReadsPicturesAndAManifestWhoseHashesHold() throws Exception {
        Instant t0 = window();
        String t = tag();
        List<String> ids = store(t0, new Object[]{t + "42E", 1, 1}, new Object[]{t + "42E", 20, 2}, new Object[]{t + "42E", 40, 3});
        String reference = ref();
        Map<String, Object> q = query(t + "42E", t0, reference);
        HttpResponse<byte[]> r = HTTP.send(as("investigator", "/api/v1/reads/export").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(q))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=\"evidence-");
        Map<String, byte[]> files = unzip(r.body());
        assertThat(files).containsKeys("reads.json", "manifest.json", "manifest.sha256");
        for (String id : ids) {
            assertThat(files).containsKeys("images/" + id + "-plate.jpg", "images/" + id + "-overview.jpg");
        }
        // every file but the manifest of sums is listed once, with its true SHA-256, in sha256sum's format
        String sums = new String(files.get("manifest.sha256"), StandardCharsets.UTF_8);
        Map<String, String> listed = new LinkedHashMap<>();
        for (String line : sums.split("\n")) {
            assertThat(line).matches("[0-9a-f]{64}  \\S+");
            listed.put(line.substring(66), line.substring(0, 64));
        }
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(files.keySet().stream().filter(n -> !n.equals("manifest.sha256")).toList());
        for (Map.Entry<String, String> e : listed.entrySet()) {
            assertThat(sha256(files.get(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        JsonNode reads = JSON.readTree(files.get("reads.json"));
        assertThat(reads).hasSize(3);
        assertThat(reads.get(0).path("vrm").asText()).isEqualTo(t + "42E");
        JsonNode manifest = JSON.readTree(files.get("manifest.json"));
        assertThat(manifest.path("exportedBy").asText()).isEqualTo("investigator");
        assertThat(manifest.path("count").asInt()).isEqualTo(3);
        assertThat(manifest.path("images").asInt()).isEqualTo(6);
        assertThat(manifest.path("justification").path("reference").asText()).isEqualTo(reference);
        assertThat(manifest.path("query").path("vrm").asText()).isEqualTo(t + "42E");
        Map<String, Object> row = jdbc.queryForMap("select action, detail::text as detail from audit_log where detail ->> 'reference' = ?", reference);
        assertThat(row.get("action")).isEqualTo("reads.export");
        assertThat(JSON.readTree((String) row.get("detail")).path("count").asInt()).isEqualTo(3);

        q = query(t + "42E", t0, ref());
        q.put("format", "csv");
        q.put("images", false);
        r = HTTP.send(as("investigator", "/api/v1/reads/export").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(q))).build(), HttpResponse.BodyHandlers.ofByteArray());
        files = unzip(r.body());
        assertThat(files.keySet()).containsExactlyInAnyOrder("reads.csv", "manifest.json", "manifest.sha256");
        String[] lines = new String(files.get("reads.csv"), StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("\"readId\",\"captureTimeUtc\",\"vrm\"");
        assertThat(lines[1]).contains("\"" + t + "42E\"");
    }

    @Test
    void aConvoySearchFindsTheVehicleThatTravelledWithTheTarget() throws Exception {
        Instant t0 = window();
        String t = tag();
        String target = t + "01T";
        String companion = t + "02C";
        store(t0,
                new Object[]{target, 0, 1}, new Object[]{companion, 12, 1},
                new Object[]{target, 600, 2}, new Object[]{companion, 590, 2},
                new Object[]{target, 1200, 3}, new Object[]{companion, 1230, 3},
                new Object[]{t + "03O", 5, 1},      // once near the target: below the minimum
                new Object[]{t + "04F", 900, 1});    // same camera, 15 minutes later: not with it
        String reference = ref();
        Map<String, Object> q = query(target, t0, reference);
        q.put("windowSeconds", 60);
        q.put("minCount", 2);
        HttpResponse<String> r = postAs("investigator", "/api/v1/reads/convoy", q);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.path("targetSightings").asInt()).isEqualTo(3);
        assertThat(answer.path("vehicles")).hasSize(1);
        assertThat(answer.path("vehicles").get(0).path("vrm").asText()).isEqualTo(companion);
        assertThat(answer.path("vehicles").get(0).path("together").asInt()).isEqualTo(3);
        assertThat(answer.path("vehicles").get(0).path("cameras").asInt()).isEqualTo(3);
        q.put("minCount", 1);
        q.put("reference", ref());
        List<String> all = new ArrayList<>();
        json(postAs("investigator", "/api/v1/reads/convoy", q)).path("vehicles").forEach(v -> all.add(v.path("vrm").asText()));
        assertThat(all).containsExactly(companion, t + "03O");
        Map<String, Object> row = jdbc.queryForMap("select action, detail::text as detail from audit_log where detail ->> 'reference' = ?", reference);
        assertThat(row.get("action")).isEqualTo("reads.convoy");
        assertThat(JSON.readTree((String) row.get("detail")).path("vrm").asText()).isEqualTo(target);
        q.put("windowSeconds", 100_000);
        assertThat(postAs("investigator", "/api/v1/reads/convoy", q).statusCode()).isEqualTo(400);
    }

    @Test
    void onlyTheInvestigatorRoleReachesTheSearch() throws Exception {
        Map<String, Object> q = query("AB12CDE", window(), ref());
        for (String user : List.of("ops", "auditor", "supervisor", "hotlists", "no-roles")) {
            for (String path : List.of("/api/v1/reads/search", "/api/v1/reads/export", "/api/v1/reads/convoy")) {
                assertThat(postAs(user, path, q).statusCode()).as(user + " " + path).isEqualTo(403);
            }
        }
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/reads/search")).header("X-Anpr-Client", "t")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(q))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(postAs("investigator", "/api/v1/reads/search", q).statusCode()).isEqualTo(200);
    }

    @Test
    void theStoreIndexesTheSameLookAlikesAsJavaAndHasTheTrigramIndex() {
        String all = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        assertThat(jdbc.queryForObject("select " + Confusions.sql("?::text"), String.class, all)).isEqualTo(Confusions.canonical(all));
        // the embedded store ships pg_trgm and the hub creates it at start: wildcards anywhere in the plate are indexed
        assertThat(jdbc.queryForList("select indexname from pg_indexes where tablename = 'nas_read'", String.class))
                .contains("nas_read_vrm", "nas_read_vrm_fuzzy", "nas_read_camera", "nas_read_vrm_fuzzy_trgm");
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

}
