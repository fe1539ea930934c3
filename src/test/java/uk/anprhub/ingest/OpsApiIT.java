package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The core route, the quarantine API (re-processing after a registry fix), audit, and the console behind login. */
class OpsApiIT extends HubIT {

    @Autowired
    CamelContext camel;

    /** The route files are checked without a hub by uk.anprhub.transport.RouteFilesTest; here: the core route runs. */
    @Test
    void theIngestCoreRouteRuns() {
        assertThat(camel.getRouteController().getRouteStatus("anpr-ingest")).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getRouteController().getRouteStatus("bof2-inputcapture")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aQuarantinedReadIsRecoveredAfterTheRegistryLearnsItsCamera() throws Exception {
        String camera = "MPS-NEW-" + System.nanoTime();
        String read = "{\"vrm\":\"" + TestReads.plate() + "\",\"captureTimeUtc\":\"" + Instant.now().minusSeconds(30)
                + "\",\"cameraId\":\"" + camera + "\"}";
        HttpResponse<String> refused = postJson("/ingest/nas-json", read);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(json(refused).get("error").asText()).isEqualTo("unknown-camera");

        HttpResponse<String> list = HTTP.send(asOps("/api/v1/quarantine?reason=unknown-camera&limit=1000").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        long id = json(refused).get("quarantined").get(0).get("quarantineId").asLong();
        assertThat(list.body()).contains("\"id\":" + id);

        Files.writeString(CAMERAS.resolve("added-by-test.yaml"), """
                cameras:
                  - cameraId: %s
                    sourceId: MPS-DEMO
                    feedId: MPS
                    vendor: nas
                """.formatted(camera));
        HttpResponse<String> reload = HTTP.send(asOps("/api/v1/cameras/reload").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reload.statusCode()).isEqualTo(200);

        HttpResponse<String> reprocess = HTTP.send(asOps("/api/v1/quarantine/reprocess?reason=unknown-camera&why=camera+registered")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reprocess.statusCode()).isEqualTo(200);
        JsonNode result = json(reprocess);
        assertThat(result.get("recovered").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("select status from quarantine where id = ?", String.class, id)).isEqualTo("RECOVERED");
        assertThat(jdbc.queryForObject("select count(*) from nas_read where camera_id = ?", Integer.class, camera)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'quarantine.reprocess' and actor = 'ops'",
                Integer.class)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theApiAndConsoleNeedAnOperator() throws Exception {
        assertThat(get("/api/v1/quarantine").statusCode()).isEqualTo(401);
        HttpResponse<String> hawtio = HTTP.send(asOps("/actuator/hawtio/").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hawtio.statusCode()).isEqualTo(200);
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");
        HttpResponse<String> jolokia = HTTP.send(asOps("/actuator/jolokia/version").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(jolokia.statusCode()).isEqualTo(200);
        assertThat(jolokia.body()).contains("\"agent\"");
    }
}
