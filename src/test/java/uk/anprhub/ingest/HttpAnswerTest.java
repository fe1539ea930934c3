package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import uk.anprhub.ingest.IngestOutcome.Problem;
import uk.anprhub.message.Reason;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every outcome's HTTP answer, byte for byte as the contract (docs/api.md) had it when outcomes were HTTP codes. */
class HttpAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private static String body(HttpAnswer a) throws Exception {
        return JSON.writeValueAsString(a.body());
    }

    @Test
    void storedAndNothingToStoreAre200() throws Exception {
        HttpAnswer stored = HttpAnswer.of(new IngestOutcome.Stored(2, 1, 1, java.util.Arrays.asList(ID, null), List.of()));
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.retryAfterSeconds()).isNull();
        assertThat(body(stored)).as("a duplicate's id is null").isEqualTo("{\"received\":2,\"stored\":1,\"duplicates\":1,"
                + "\"readIds\":[\"" + ID + "\",null]}");

        HttpAnswer partly = HttpAnswer.of(new IngestOutcome.Stored(2, 1, 0, List.of(ID),
                List.of(new Problem(1, Reason.MISSING_VRM, "no plate", 5L))));
        assertThat(partly.status()).isEqualTo(200);
        assertThat(body(partly)).isEqualTo("{\"received\":2,\"stored\":1,\"duplicates\":0,\"quarantined\":[{\"index\":1,"
                + "\"reason\":\"missing-vrm\",\"detail\":\"no plate\",\"quarantineId\":5}],\"readIds\":[\"" + ID + "\"]}");

        HttpAnswer nothing = HttpAnswer.of(new IngestOutcome.NothingToStore());
        assertThat(nothing.status()).isEqualTo(200);
        assertThat(body(nothing)).isEqualTo("{\"received\":0,\"stored\":0,\"duplicates\":0,\"readIds\":[]}");
    }

    @Test
    void aMessageQuarantinedWholeGetsTheStatusOfItsReason() throws Exception {
        HttpAnswer large = HttpAnswer.of(new IngestOutcome.Quarantined(List.of(new Problem(null, Reason.TOO_LARGE, "big", 3L)), null));
        assertThat(large.status()).isEqualTo(413);
        assertThat(body(large)).isEqualTo("{\"error\":\"too-large\",\"detail\":\"big\",\"quarantined\":[{\"reason\":\"too-large\","
                + "\"detail\":\"big\",\"quarantineId\":3}]}");
        assertThat(HttpAnswer.of(new IngestOutcome.Quarantined(List.of(new Problem(null, Reason.UNSUPPORTED_CONTENT_TYPE,
                "x", 4L)), null)).status()).isEqualTo(415);
        HttpAnswer undecodable = HttpAnswer.of(new IngestOutcome.Quarantined(List.of(new Problem(null, Reason.UNDECODABLE,
                "x", null)), null));
        assertThat(undecodable.status()).isEqualTo(422);
        assertThat(body(undecodable)).isEqualTo("{\"error\":\"undecodable\",\"detail\":\"x\",\"quarantined\":[{\"reason\":"
                + "\"undecodable\",\"detail\":\"x\"}]}");
    }

    @Test
    void everyReadRefusedIs422WithTheCounts() throws Exception {
        HttpAnswer a = HttpAnswer.of(new IngestOutcome.Quarantined(List.of(new Problem(0, Reason.UNKNOWN_CAMERA, "who", 7L),
                new Problem(1, Reason.TOO_LARGE, "odd", 8L)), 2));
        assertThat(a.status()).isEqualTo(422);
        assertThat(body(a)).isEqualTo("{\"error\":\"unknown-camera\",\"detail\":\"who\",\"received\":2,\"stored\":0,"
                + "\"duplicates\":0,\"quarantined\":[{\"index\":0,\"reason\":\"unknown-camera\",\"detail\":\"who\","
                + "\"quarantineId\":7},{\"index\":1,\"reason\":\"too-large\",\"detail\":\"odd\",\"quarantineId\":8}]}");
    }

    @Test
    void refusalsAndUnavailability() throws Exception {
        HttpAnswer unknown = HttpAnswer.of(new IngestOutcome.Refused(IngestOutcome.Refusal.UNKNOWN_FEED, "no feed 'x'"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("unknown-feed");
        assertThat(body(unknown)).isEqualTo("{\"error\":\"unknown-feed\",\"detail\":\"no feed 'x'\",\"quarantined\":"
                + "[{\"reason\":\"unknown-feed\",\"detail\":\"no feed 'x'\"}]}");
        assertThat(HttpAnswer.of(new IngestOutcome.Refused(IngestOutcome.Refusal.FORBIDDEN, "d")).status()).isEqualTo(403);
        assertThat(HttpAnswer.of(new IngestOutcome.Refused(IngestOutcome.Refusal.UNAUTHORISED, "d")).status()).isEqualTo(401);
        assertThat(HttpAnswer.of(new IngestOutcome.Refused(IngestOutcome.Refusal.BODY_TIMEOUT, "d")).status()).isEqualTo(408);

        HttpAnswer busy = HttpAnswer.of(new IngestOutcome.Unavailable("busy", "retry", 1));
        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.retryAfterSeconds()).isEqualTo(1);
        assertThat(body(busy)).isEqualTo("{\"error\":\"busy\",\"detail\":\"retry\"}");
    }
}
