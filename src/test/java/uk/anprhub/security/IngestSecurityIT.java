package uk.anprhub.security;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 items 4, 7, 8, 17 and 18, performed against the running hub over real HTTP and checked in its real
 * PostgreSQL: quarantine amplification, poison numbers, a NUL carrying a plate into the log, oversize fields and
 * fake images, duplicate JSON keys. Every refusal is a 422 with a reason and a quarantine row, never a 500.
 */
class IngestSecurityIT extends HubIT {

    private static final String FEED = "/ingest/nas-json";

    /** A canonical read of a demo camera with one more JSON field (e.g. {@code "lane":1e12}), replacing its own. */
    private static String read(String plate, String field) {
        String r = TestReads.read(plate, Instant.now().minusSeconds(60), 1);
        String name = field.substring(0, field.indexOf(':'));
        r = r.replaceAll(java.util.regex.Pattern.quote(name) + ":[^,}]*,?", "");
        return r.substring(0, r.length() - 1) + (r.endsWith(",}") ? "" : ",") + field + "}";
    }

    private long rowsOfMessage(long firstId) {
        return jdbc.queryForObject("select count(*) from quarantine where id = ? or payload_of = ?", Long.class, firstId, firstId);
    }

    private long payloadBytesOfMessage(long firstId) {
        return jdbc.queryForObject("select coalesce(sum(octet_length(payload)), 0) from quarantine where id = ? or payload_of = ?",
                Long.class, firstId, firstId);
    }

    private JsonNode assertRefused(HttpResponse<String> r, String reason) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode body = json(r);
        assertThat(body.get("error").asText()).isEqualTo(reason);
        long id = body.get("quarantined").get(0).get("quarantineId").asLong();
        assertThat(jdbc.queryForObject("select reason from quarantine where id = ?", String.class, id)).isEqualTo(reason);
        return body;
    }

    // ---------------------------------------------------------------- item 4: quarantine amplification

    @Test
    void aMessageWith150BadReadsStoresItsPayloadOnceAndKeeps100RowsPlusASummary() throws Exception {
        List<String> reads = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            reads.add(TestReads.read(TestReads.plate(), Instant.now().plusSeconds(7200), 1)); // future: refused
        }
        String padding = " ".repeat(900_000 / 150); // ~1 MB in all: whitespace is legal JSON
        byte[] body = ("[" + String.join("," + padding, reads) + "]").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        HttpResponse<String> r = post(FEED, "application/json", body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode problems = json(r).get("quarantined");
        assertThat(problems).hasSize(101);
        long first = problems.get(0).get("quarantineId").asLong();
        assertThat(rowsOfMessage(first)).isEqualTo(101);
        assertThat(payloadBytesOfMessage(first)).isEqualTo(body.length); // once, not 150 times
        JsonNode summary = problems.get(100);
        assertThat(summary.get("reason").asText()).isEqualTo("more-refused-reads");
        assertThat(summary.get("detail").asText()).startsWith("50 more refused read(s)").contains("future-capture-time=50");
        // the message is re-processed as one: the API lists every row with the payload's size
        assertThat(jdbc.queryForObject("select count(distinct coalesce(payload_of, id)) from quarantine where id = ? or payload_of = ?",
                Long.class, first, first)).isEqualTo(1);
    }

    @Test
    void aHugeArrayIsOneTooManyReadsRowAndIsRefusedFast() throws Exception {
        // 300,000 empty objects (900 KB): each used to become a read, a quarantine row and a copy of the payload
        byte[] body = ("[" + "{},".repeat(299_999) + "{}]").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long start = System.nanoTime();

        HttpResponse<String> r = post(FEED, "application/json", body);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        JsonNode answer = assertRefused(r, "too-many-reads");
        long id = answer.get("quarantined").get(0).get("quarantineId").asLong();
        assertThat(rowsOfMessage(id)).isEqualTo(1);
        assertThat(payloadBytesOfMessage(id)).isEqualTo(body.length);
    }

    @Test
    void oneReadOverTheConfiguredCapRefusesTheMessageAsOneRow() throws Exception {
        byte[] body = ("[" + "{},".repeat(10_000) + "{}]").getBytes(java.nio.charset.StandardCharsets.US_ASCII); // 10,001

        JsonNode answer = assertRefused(post(FEED, "application/json", body), "too-many-reads");

        assertThat(answer.get("detail").asText()).contains("10001").contains("10000");
        assertThat(rowsOfMessage(answer.get("quarantined").get(0).get("quarantineId").asLong())).isEqualTo(1);
    }

    // ---------------------------------------------------------------- item 7: non-finite numbers

    @ParameterizedTest
    @ValueSource(strings = {"\"confidencePct\":1e999", "\"headingDeg\":1e999", "\"headingDeg\":\"Infinity\"",
            "\"lane\":1e12", "\"latitude\":\"NaN\""})
    void nonFiniteOrOutOfRangeNumbersAreQuarantinedNot500(String field) throws Exception {
        String plate = TestReads.plate();

        assertRefused(postJson(FEED, read(plate, field)), "malformed-field");

        assertThat(jdbc.queryForObject("select count(*) from nas_read where vrm = ?", Integer.class, plate.replace(" ", "")))
                .isZero();
    }

    // ---------------------------------------------------------------- item 8: control characters, logs

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aNulInAFieldIsRefusedAndThePlateNeverReachesTheLog(CapturedOutput output) throws Exception {
        String plate = TestReads.plate();
        String withNul = plate.substring(0, 4) + "\\u0000" + plate.substring(4);
        String body = TestReads.read(withNul, Instant.now().minusSeconds(60), 1);
        String other = TestReads.plate();

        assertRefused(postJson(FEED, body), "malformed-field");
        assertRefused(postJson(FEED, read(other, "\"vehicle\":{\"make\":\"Ford\\u0000" + other + "\"}")), "malformed-field");

        assertThat(output.getAll()).contains("quarantined")
                .doesNotContain(plate).doesNotContain(plate.replace(" ", "")).doesNotContain(plate.substring(4))
                .doesNotContain(other).doesNotContain(other.replace(" ", ""));
    }

    // ---------------------------------------------------------------- item 17: field sizes, images

    @Test
    void anOversizeTextFieldIsRefused() throws Exception {
        String make = "F".repeat(300_000);

        JsonNode answer = assertRefused(postJson(FEED, read(TestReads.plate(), "\"vehicle\":{\"make\":\"" + make + "\"}")),
                "malformed-field");

        assertThat(answer.get("detail").asText()).contains("vehicle.make").hasSizeLessThan(200);
    }

    @Test
    void anImageThatIsNotAJpegOrPngIsABadImage() throws Exception {
        String zeros = Base64.getEncoder().encodeToString(new byte[300_000]);

        assertRefused(postJson(FEED, read(TestReads.plate(),
                "\"plateImage\":{\"contentType\":\"image/jpeg\",\"data\":\"" + zeros + "\"}")), "bad-image");

        String jpeg = Base64.getEncoder().encodeToString(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10});
        HttpResponse<String> ok = postJson(FEED, read(TestReads.plate(),
                "\"plateImage\":{\"contentType\":\"image/jpeg\",\"data\":\"" + jpeg + "\"}"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- item 18: duplicate keys

    @Test
    void aDuplicateKeyIsRefusedNotLastOneWins() throws Exception {
        String first = TestReads.plate();
        String second = TestReads.plate();
        String one = TestReads.read(first, Instant.now().minusSeconds(60), 1);
        String body = one.substring(0, one.length() - 1) + ",\"vrm\":\"" + second + "\"}";

        JsonNode answer = assertRefused(postJson(FEED, body), "undecodable");

        assertThat(answer.get("detail").asText()).contains("duplicate field name").doesNotContain(second);
        assertThat(jdbc.queryForObject("select count(*) from nas_read where vrm in (?, ?)", Integer.class,
                first.replace(" ", ""), second.replace(" ", ""))).isZero();
    }
}
