package uk.anprhub.ingest;

import org.junit.jupiter.api.Test;
import uk.anprhub.support.HikvisionUploads;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP camera feeds beyond the canonical one: a vendor multipart push with images, per-feed API key and allowlist. */
class HttpFeedsIT extends HubIT {

    @Test
    void aHikvisionMultipartPushIsStoredWithItsPictures() throws Exception {
        String uuid = "it-" + System.nanoTime();
        byte[] fresh = HikvisionUploads.isapiPush(uuid);
        HttpResponse<String> r = post("/ingest/hikvision-isapi", "multipart/form-data; boundary=boundary", fresh);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("stored").asInt()).isEqualTo(1);
        String body = jdbc.queryForObject("select body::text from nas_read where idempotency_key like ?", String.class, "%" + uuid);
        assertThat(JSON.readTree(body).path("plateImage").path("sha256").asText()).hasSize(64);
        // The camera retransmits: one row still.
        assertThat(json(post("/ingest/hikvision-isapi", "multipart/form-data; boundary=boundary",
                fresh)).get("duplicates").asInt()).isEqualTo(1);
    }

    @Test
    void aFeedWithAnApiKeyRefusesSendersWithoutIt() throws Exception {
        HttpResponse<String> none = postJson("/ingest/keyed-nas", TestReads.read());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).get("error").asText()).isEqualTo("unauthorised");
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(uri("/ingest/keyed-nas")).header("Content-Type", "application/json")
                .header("X-Api-Key", "guess").POST(HttpRequest.BodyPublishers.ofString(TestReads.read())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(uri("/ingest/keyed-nas")).header("Content-Type", "application/json")
                .header("X-Api-Key", "camera-key-1").POST(HttpRequest.BodyPublishers.ofString(TestReads.read())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).get("stored").asInt()).isEqualTo(1);
    }

    @Test
    void aFeedWithAnAllowListRefusesOtherAddresses() throws Exception {
        HttpResponse<String> r = postJson("/ingest/far-away-nas", TestReads.read());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("error").asText()).isEqualTo("forbidden");
    }
}
