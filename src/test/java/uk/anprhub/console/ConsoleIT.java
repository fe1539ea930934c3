package uk.anprhub.console;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.support.TestReads;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The console over plain HTTP: start page, login page, route control refused with a pointer, the Cameras MBean. */
class ConsoleIT extends ConsoleHub {

    @org.springframework.beans.factory.annotation.Autowired
    uk.anprhub.delivery.DeliveryTargetMBeans deliveryMBeans;
    @org.springframework.beans.factory.annotation.Autowired
    uk.anprhub.ingest.QuarantineMBean quarantineMBean;
    @org.springframework.beans.factory.annotation.Autowired
    uk.anprhub.delivery.DeliveryService delivery;

    /** Issue 15 item 4: each operation of the hub's MBeans called through Jolokia (as Hawtio does) is one audit row, with the account. */
    @Test
    void everyHubMBeanOperationThroughJolokiaIsExactlyOneAuditRowWithTheAccount() throws Exception {
        deliveryMBeans.register(); // other tests' hubs in this JVM may have registered theirs since
        quarantineMBean.register();
        Session s = login();
        long before = jdbc.queryForObject("select coalesce(max(id), 0) from audit_log", Long.class);
        String nas = "uk.anprhub:type=DeliveryTarget,name=nas";
        try {
            for (String[] call : new String[][]{
                    {nas, "pause(java.lang.String)", "[\"NAS maintenance CHG-1\"]"},
                    {nas, "resume(java.lang.String)", "[\"maintenance over\"]"},
                    {nas, "probeNow()", "[]"},
                    {nas, "replayDeadLetters(java.lang.String)", "[\"NAS fixed the rejection\"]"},
                    {"uk.anprhub:type=Quarantine", "reprocess(java.lang.String,java.lang.String)", "[\"*\",\"mapping fixed\"]"}}) {
                JsonNode r = json(jolokia(s, "{\"type\":\"exec\",\"mbean\":\"" + call[0] + "\",\"operation\":\"" + call[1]
                        + "\",\"arguments\":" + call[2] + "}"));
                assertThat(r.path("status").asInt()).as(call[1] + ": " + r).isEqualTo(200);
            }
        } finally {
            delivery.resume("nas", "test clean-up");
        }
        var rows = jdbc.queryForList("select actor, action from audit_log where id > ? and action <> 'quarantine.list' order by id", before);
        assertThat(rows).extracting(r -> r.get("action")).containsExactly(
                "delivery.pause", "delivery.resume", "delivery.probe-now", "delivery.replay", "quarantine.reprocess");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("actor")).isEqualTo(USER));
    }

    @Test
    void theRootLeadsToTheBrandedLoginPageAndThenToTheStartPage() throws Exception {
        HttpResponse<String> root = HTTP.send(HttpRequest.newBuilder(uri("/")).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location").orElse("")).endsWith("/login");
        HttpResponse<String> login = get("/login");
        assertThat(login.body()).contains("ANPR Hub").contains("/assets/console.css").doesNotContain("<script").doesNotContain("http://", "https://");
        assertThat(login.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'").contains("style-src 'self'");
        assertThat(get("/assets/console.css").statusCode()).isEqualTo(200);
        Session s = login();
        HttpResponse<String> start = HTTP.send(HttpRequest.newBuilder(uri("/")).header("Cookie", s.header()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).isEqualTo(200);
        assertThat(start.body()).contains("/actuator/hawtio/", "/actuator/health", "/actuator/prometheus", "action=\"/logout\"");
        HttpResponse<String> config = HTTP.send(HttpRequest.newBuilder(uri("/actuator/hawtio/hawtconfig.json")).header("Cookie", s.header()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json(config).path("branding").path("appName").asText()).isEqualTo("ANPR Hub console");
    }

    @Test
    void stoppingAnInputOrDeliveryRouteIsRefusedWithAPointerToThePause() throws Exception {
        Session s = login();
        String context = "org.apache.camel:context=anpr-hub,type=routes,name=\\\"";
        for (String[] attempt : new String[][]{{"anpr-http-ingest", "stop()"}, {"anpr-http-ingest", "suspend()"}, {"delivery-nas", "stop()"}}) {
            JsonNode r = json(jolokia(s, "{\"type\":\"exec\",\"mbean\":\"" + context + attempt[0] + "\\\"\",\"operation\":\"" + attempt[1] + "\",\"arguments\":[]}"));
            assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(403);
            assertThat(r.path("error").asText()).contains("refused").contains("uk.anprhub:type=DeliveryTarget").contains("pause(why)");
        }
        // cameras are still answered
        HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(uri("/ingest/nas-json")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestReads.read())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'jolokia.exec' and detail->>'operation' = 'stop()'",
                Integer.class)).isGreaterThanOrEqualTo(2);
        // what the route diagram needs is allowed (read-only dumps)
        JsonNode dump = json(jolokia(s, "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=anpr-hub,type=context,name=\\\"anpr-hub\\\"\","
                + "\"operation\":\"dumpRoutesStatsAsXml\",\"arguments\":[true,true]}"));
        assertThat(dump.path("status").asInt()).as(dump.toString()).isEqualTo(200);
        assertThat(dump.path("value").asText()).contains("processorStat"); // processors are managed (level Default)
    }

    @Test
    void theCamerasMBeanShowsLastSeenPerCameraAndNoPlate() throws Exception {
        String plate = TestReads.plate();
        HTTP.send(HttpRequest.newBuilder(uri("/ingest/nas-json")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestReads.read(plate, Instant.now().minusSeconds(10), 7))).build(),
                HttpResponse.BodyHandlers.ofString());
        Session s = login();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode r = json(jolokia(s, "{\"type\":\"read\",\"mbean\":\"uk.anprhub:type=Cameras\"}"));
            assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(200);
            assertThat(r.path("value").path("Registered").asInt()).isPositive();
            assertThat(r.path("value").path("SeenInLastHour").asInt()).isPositive();
            assertThat(r.path("value").path("LastSeen").toString()).contains("MPS-DEMO-0007 20").doesNotContain(plate);
        });
    }
}
