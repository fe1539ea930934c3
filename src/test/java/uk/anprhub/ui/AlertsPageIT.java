package uk.anprhub.ui;

import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alerts and camera parts of /ui/ in HtmlUnit against the running hub: an investigator logs in, sees the hit
 * of a list for their role and acknowledges it; ops sees the camera board. (HtmlUnit has no EventSource: the page
 * polls then; the live stream itself is AlertIT's.)
 */
class AlertsPageIT extends HubIT {

    private final String list = "page-" + System.nanoTime();

    @AfterEach
    void removeList() throws Exception {
        send("DELETE", "/api/v1/hotlists/" + list, null, null);
    }

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("hotlists:" + OPS_PASSWORD).getBytes()))
                .header("X-Anpr-Client", "test")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private WebClient browser() {
        WebClient web = new WebClient(BrowserVersion.FIREFOX);
        web.getOptions().setFetchPolyfillEnabled(true);
        web.getOptions().setThrowExceptionOnScriptError(true);
        web.getOptions().setCssEnabled(false);
        return web;
    }

    private HtmlPage login(WebClient web, String user) throws Exception {
        HtmlPage page = web.getPage(uri("/ui/").toURL());
        HtmlForm form = page.getForms().get(0);
        form.getInputByName("username").setValue(user);
        form.getInputByName("password").setValue(OPS_PASSWORD);
        return form.getOneHtmlElementByAttribute("button", "type", "submit").click();
    }

    @Test
    void anInvestigatorSeesTheHitOfTheirListAndAcknowledgesIt() throws Exception {
        assertThat(send("POST", "/api/v1/hotlists", "application/json",
                "{\"id\":\"" + list + "\",\"owner\":\"t\",\"hitRole\":\"investigator\"}").statusCode()).isEqualTo(201);
        String plate = "PG" + (100 + (System.nanoTime() % 900)) + "HIT";
        assertThat(send("POST", "/api/v1/hotlists/" + list + "/import?mode=replace", "text/csv",
                "vrm,category,instructions\n" + plate + ",stolen,Stop and search\n").statusCode()).isEqualTo(200);
        assertThat(postJson("/ingest/nas-json", TestReads.read(plate, Instant.now().minusSeconds(5), 2)).statusCode()).isEqualTo(200);
        long hitId = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList(
                "select id from hotlist_hit where list_id = ?", Long.class, list), l -> !l.isEmpty()).get(0);

        try (WebClient web = browser()) {
            HtmlPage page = login(web, "investigator");
            await().atMost(Duration.ofSeconds(20)).until(() -> page.querySelector("tr[data-hit='" + hitId + "']") != null);
            HtmlElement row = page.querySelector("tr[data-hit='" + hitId + "']");
            assertThat(row.asNormalizedText()).contains(plate).contains(list).contains("exact").contains("Stop and search");
            assertThat(page.getElementById("cameras").isDisplayed()).as("the camera board is for ops").isFalse();
            HtmlButton ack = row.querySelector("button");
            ack.click();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    page.querySelector("tr[data-hit='" + hitId + "']").asNormalizedText().contains("stopped — investigator"));
        }
        assertThat(jdbc.queryForObject("select acked_by from hotlist_hit where id = ?", String.class, hitId)).isEqualTo("investigator");
    }

    @Test
    void opsSeesTheCameraBoard() throws Exception {
        try (WebClient web = browser()) {
            HtmlPage page = login(web, "ops");
            await().atMost(Duration.ofSeconds(20)).until(() -> page.querySelector("#camera-board tbody tr") != null);
            int cameras = json(HTTP.send(asOps("/api/v1/cameras/health").GET().build(), HttpResponse.BodyHandlers.ofString()))
                    .path("cameras").size();
            assertThat(page.querySelectorAll("#camera-board tbody tr")).as("one row per camera of the API").hasSize(cameras);
            assertThat(page.querySelector("#camera-board tbody tr").asNormalizedText()).containsPattern("MPS-\\S+\\s+(ok|silent|never-seen)");
            assertThat(page.getElementById("alerts").isDisplayed()).isTrue();
        }
    }
}
