package uk.anprhub.access;

import org.htmlunit.BrowserVersion;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The /ui/ page's access parts in a headless browser (HtmlUnit, the page's own scripts): logged in through the login
 * form, an auditor sees the audit part and not the search part, filters the log and downloads the CSV with the
 * page's session; an investigator searches NAS through the national part and sees the result.
 */
class AccessPageIT extends AccessHub {

    private WebClient browser() {
        WebClient web = new WebClient(BrowserVersion.FIREFOX);
        web.getOptions().setFetchPolyfillEnabled(true);
        web.getOptions().setThrowExceptionOnScriptError(true);
        web.getOptions().setCssEnabled(false);
        return web;
    }

    /** Opens /ui/, is sent to the login form, logs in there and comes back to /ui/ with the page's scripts run. */
    private HtmlPage logIn(WebClient web, String user) throws Exception {
        HtmlPage login = web.getPage(uri("/ui/").toString());
        assertThat(login.getUrl().getPath()).isEqualTo("/login");
        ((HtmlInput) login.getElementById("username")).type(user);
        ((HtmlInput) login.getElementById("password")).type(PASSWORD);
        HtmlPage ui = login.getForms().get(0).getOneHtmlElementByAttribute("button", "type", "submit").click();
        assertThat(ui.getUrl().getPath()).isEqualTo("/ui/");
        await("the page knows who is logged in").atMost(Duration.ofSeconds(30))
                .until(() -> ui.getElementById("who").getTextContent().equals(user));
        return ui;
    }

    private static boolean hidden(HtmlPage page, String id) {
        return page.getElementById(id).hasAttribute("hidden");
    }

    @Test
    void anAuditorSeesTheAuditPartOnlyFiltersTheLogAndDownloadsItAsCsv() throws Exception {
        jdbc.update("insert into audit_log (actor, action, detail) values ('inv-page', 'reads.search', '{\"reference\": \"PAGE-1\", \"reason\": \"looking for a van\"}')");
        try (WebClient web = browser()) {
            HtmlPage ui = logIn(web, "auditor");
            assertThat(hidden(ui, "audit")).isFalse();
            assertThat(hidden(ui, "search")).isTrue();
            assertThat(hidden(ui, "national")).isTrue();
            assertThat(hidden(ui, "cameras")).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> ui.getElementById("audit-form") != null);
            ((HtmlInput) ui.getElementById("audit-reference")).type("PAGE-1");
            ui.getElementById("audit-go").click();
            await("filtered rows").atMost(Duration.ofSeconds(30)).until(() ->
                    ui.getElementById("audit-status").getTextContent().equals("1 row(s)"));
            DomElement row = ui.querySelector("#audit-table tr.audit-row");
            assertThat(row.getTextContent()).contains("inv-page", "reads.search", "looking for a van", "PAGE-1");

            String href = ui.getElementById("audit-csv").getAttribute("href");
            assertThat(href).startsWith("/api/v1/audit?").contains("reference=PAGE-1", "format=csv");
            Page csv = web.getPage(uri(href).toString());
            assertThat(csv.getWebResponse().getContentType()).isEqualTo("text/csv");
            assertThat(csv.getWebResponse().getContentAsString()).startsWith("id,at,actor").contains("inv-page,reads.search");
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_log where actor = 'auditor' and action = 'audit.export'"
                + " and detail->>'reference' = 'PAGE-1'", Long.class)).isEqualTo(1);
    }

    @Test
    void anInvestigatorSearchesNasThroughTheNationalPart() throws Exception {
        String vrm = "PG" + (10 + (int) (Math.random() * 89)) + "NAT";
        String readId = UUID.randomUUID().toString();
        String capture = "[{\"readId\":\"" + readId + "\",\"vrm\":\"" + vrm + "\",\"captureTimeUtc\":\""
                + Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS) + "\",\"cameraId\":\"NAT-CAM-7\",\"direction\":\"AWAY\"}]";
        HttpResponse<String> fed = HTTP.send(HttpRequest.newBuilder(URI.create(NAS.nasUrl() + "/captures"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(capture)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fed.body()).contains("ACCEPTED");
        try (WebClient web = browser()) {
            HtmlPage ui = logIn(web, "investigator");
            assertThat(hidden(ui, "national")).isFalse();
            assertThat(hidden(ui, "audit")).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> ui.getElementById("national-form") != null);
            ((HtmlInput) ui.getElementById("national-vrm")).type(vrm);
            ((HtmlInput) ui.getElementById("national-reason")).type("stolen vehicle seen heading north");
            ((HtmlInput) ui.getElementById("national-reference")).type("PAGE-N1");
            HtmlSelect purpose = (HtmlSelect) ui.getElementById("national-purpose");
            purpose.setSelectedAttribute("crime-investigation", true);
            ui.getElementById("national-go").click();
            // the matcher form: a timeout says what the page showed instead
            await("NAS results on the page").atMost(Duration.ofSeconds(30)).until(() ->
                    ui.getElementById("national-status").getTextContent(), org.hamcrest.Matchers.startsWith("1 result"));
            assertThat(ui.querySelector("#national-table tr.national-row").getTextContent()).contains(vrm, "NAT-CAM-7", readId);

            // without a purpose the hub refuses, and the page says which field is missing
            purpose.setSelectedAttribute("", true);
            ui.getElementById("national-go").click();
            await().atMost(Duration.ofSeconds(30)).until(() -> ui.getElementById("national-status").getTextContent().contains("purpose"));
            assertThat(ui.getElementById("national-status").getAttribute("class")).isEqualTo("error");
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_log where actor = 'investigator' and action = 'national.search'"
                + " and detail->>'reference' = 'PAGE-N1'", Long.class)).isEqualTo(1);
    }
}
