package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.store.ImageStore;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14.11, pictures that arrive apart from their read: a read that comes again (same camera, plate and time, or
 * same vendor read id — a Hikvision {@code hasMoreData} follow-up post) carrying a picture its stored copy lacks gets
 * that picture attached; a picture it holds already is never replaced, and a repeat changes nothing.
 */
class LatePicturesIT extends HubIT {

    @Autowired
    ImageStore images;

    @Test
    void aLaterPictureIsAttachedToTheStoredReadOnceAndTheFirstPictureIsKept() throws Exception {
        String plate = TestReads.plate();
        Instant at = Instant.now().minusSeconds(90).truncatedTo(ChronoUnit.MILLIS);
        String bare = """
                {"vrm":"%s","captureTimeUtc":"%s","cameraId":"MPS-DEMO-0003","confidencePct":88}""".formatted(plate, at);

        JsonNode first = json(postJson("/ingest/nas-json", bare));
        assertThat(first.path("stored").asInt()).isEqualTo(1);
        UUID readId = UUID.fromString(first.path("readIds").get(0).asText());
        assertThat(stored(plate).path("overviewImage").isMissingNode()).as("no picture yet").isTrue();

        byte[] overview = jpeg(4_000);
        JsonNode followUp = json(postJson("/ingest/nas-json", withImage(bare, "overviewImage", overview)));
        assertThat(followUp.path("duplicates").asInt()).as("the follow-up is the same read").isEqualTo(1);
        JsonNode body = stored(plate);
        assertThat(body.path("overviewImage").path("sha256").asText()).isNotEmpty();
        assertThat(body.path("overviewImage").path("bytes").asLong()).isEqualTo(overview.length);
        assertThat(images.get(at.atOffset(ZoneOffset.UTC).toLocalDate(), readId, "overview")).isEqualTo(overview);

        // another overview for the same read: the first one stays (it is the evidence); a plate crop still missing is added
        byte[] other = jpeg(3_000);
        byte[] plateCrop = jpeg(800);
        String both = withImage(withImage(bare, "overviewImage", other), "plateImage", plateCrop);
        assertThat(json(postJson("/ingest/nas-json", both)).path("duplicates").asInt()).isEqualTo(1);
        body = stored(plate);
        assertThat(body.path("overviewImage").path("bytes").asLong()).isEqualTo(overview.length);
        assertThat(images.get(at.atOffset(ZoneOffset.UTC).toLocalDate(), readId, "overview")).isEqualTo(overview);
        assertThat(images.get(at.atOffset(ZoneOffset.UTC).toLocalDate(), readId, "plate")).isEqualTo(plateCrop);
        assertThat(body.path("plateImage").path("bytes").asLong()).isEqualTo(plateCrop.length);

        // the same again: nothing changes
        String before = stored(plate).toString();
        assertThat(json(postJson("/ingest/nas-json", both)).path("duplicates").asInt()).isEqualTo(1);
        assertThat(stored(plate).toString()).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from nas_read where vrm = ?", Integer.class, plate.replace(" ", "")))
                .isEqualTo(1);
    }

    private JsonNode stored(String plate) throws Exception {
        String body = jdbc.queryForObject("select body::text from nas_read where vrm = ?", String.class, plate.replace(" ", ""));
        return JSON.readTree(body);
    }

    private static String withImage(String read, String field, byte[] picture) throws Exception {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(read);
        node.set(field, JSON.valueToTree(Map.of("contentType", "image/jpeg", "data",
                Base64.getEncoder().encodeToString(picture))));
        return node.toString();
    }

    /** Bytes that pass the hub's image checks (JPEG start and end markers). */
    private static byte[] jpeg(int size) {
        byte[] b = new byte[size];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[2] = (byte) 0xFF;
        b[size - 2] = (byte) 0xFF;
        b[size - 1] = (byte) 0xD9;
        return b;
    }
}
