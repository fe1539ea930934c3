package uk.anprhub.search;

import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.junit.jupiter.api.Test;
import uk.anprhub.support.HubIT;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The search part of /ui/ in HtmlUnit (a browser inside the JVM, its JavaScript on): the investigator logs in through
 * the login form, searches with reason/reference/purpose, sees the results with picture links that carry the
 * reference, follows the next page; an account without the role sees no search part.
 */
class SearchPageIT extends HubIT {

    static final String ZONE = "Europe/London";

    static WebClient browser() {
        // the page turns the form's local times into UTC in the browser's zone (HtmlUnit's own default is New York)
        WebClient web = new WebClient(new BrowserVersion.BrowserVersionBuilder(BrowserVersion.FIREFOX)
                .setSystemTimezone(java.util.TimeZone.getTimeZone(ZONE)).build());
        web.getOptions().setFetchPolyfillEnabled(true);
        web.getOptions().setThrowExceptionOnScriptError(true);
        web.getOptions().setCssEnabled(false);
        web.setJavaScriptErrorListener(new org.htmlunit.javascript.SilentJavaScriptErrorListener() {
            @Override
            public void scriptException(HtmlPage page, org.htmlunit.ScriptException e) {
                System.out.println("page script error: " + e.getMessage());
            }
        });
        return web;
    }

    HtmlPage login(WebClient web, String user) throws Exception {
        HtmlPage login = web.getPage(uri("/login").toString());
        HtmlForm form = login.getForms().get(0);
        ((HtmlInput) login.getElementById("username")).setValue(user);
        ((HtmlInput) login.getElementById("password")).setValue("ops-test-password");
        form.getOneHtmlElementByAttribute("button", "type", "submit").click();
        return web.getPage(uri("/ui/").toString());
    }

    @Test
    void theInvestigatorSearchesAndPagesThroughTheResults() throws Exception {
        Instant t0 = ReadSearchIT.window();
        String plate = ReadSearchIT.tag() + "88W";
        List<Map<String, Object>> reads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vrm", plate);
            m.put("captureTimeUtc", t0.plusSeconds(i * 30L).toString());
            m.put("cameraId", "MPS-DEMO-%04d".formatted(1 + i % 10));
            m.put("plateImage", Map.of("contentType", "image/jpeg", "data", java.util.Base64.getEncoder().encodeToString(ReadSearchIT.JPEG)));
            reads.add(m);
        }
        assertThat(postJson("/ingest/nas-json", JSON.writeValueAsString(reads)).statusCode()).isEqualTo(200);

        try (WebClient web = browser()) {
            HtmlPage page = login(web, "investigator");
            // the page's script runs beside this thread: wait until its handlers are attached, not just the form drawn
            await().atMost(Duration.ofSeconds(60)).until(() -> "true".equals(page.getElementById("search").getAttribute("data-ready")));
            assertThat(page.getElementById("search").isDisplayed()).isTrue();
            DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneId.of(ZONE));
            ((HtmlInput) page.getElementById("search-vrm")).setValue(plate.toLowerCase());
            ((HtmlInput) page.getElementById("search-from")).setValue(local.format(t0.minus(Duration.ofHours(1))));
            ((HtmlInput) page.getElementById("search-to")).setValue(local.format(t0.plus(Duration.ofHours(2))));
            ((HtmlInput) page.getElementById("search-reason")).setValue("Vehicle linked to a robbery at a petrol station");
            ((HtmlInput) page.getElementById("search-reference")).setValue("CAD-PAGE-IT-1");
            ((HtmlSelect) page.getElementById("search-purpose")).setSelectedAttribute("crime-investigation", true);
            ((DomElement) page.getElementById("search-go")).click();
            awaitHits(page, 25);
            assertThat(page.querySelector("#search-table tr.search-hit td.plate").getTextContent()).isEqualTo(plate);
            String src = page.querySelector("#search-table img.thumb-plate").getAttributes().getNamedItem("src").getNodeValue();
            assertThat(src).matches("/api/v1/reads/[0-9a-f-]{36}/images/plate\\?reference=CAD-PAGE-IT-1");
            assertThat(page.getElementById("search-status").getTextContent()).contains("25 read(s)");

            ((DomElement) page.getElementById("search-next")).click();
            awaitHits(page, 5);
            assertThat(page.getElementById("search-next").isDisplayed()).isFalse();
            ((DomElement) page.getElementById("search-prev")).click();
            awaitHits(page, 25);

            // without a reference the hub refuses, and the page says which field is missing
            ((HtmlInput) page.getElementById("search-reference")).setValue("");
            page.getElementById("search-reference").removeAttribute("required");
            ((DomElement) page.getElementById("search-go")).click();
            await().atMost(Duration.ofSeconds(60)).until(() -> page.getElementById("search-status").getTextContent().contains("reference"));
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'reads.search' and detail ->> 'reference' = 'CAD-PAGE-IT-1'",
                Integer.class)).isEqualTo(3);
    }

    /** Waits for that many result rows; on a timeout says what the page's status line shows. */
    static void awaitHits(HtmlPage page, int n) {
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> page.querySelectorAll("#search-table tr.search-hit").size() == n);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("expected " + n + " results; status: " + page.getElementById("search-status").getTextContent()
                    + "; rows: " + page.querySelectorAll("#search-table tr.search-hit").size(), e);
        }
    }

    @Test
    void anAccountWithoutTheRoleSeesNoSearch() throws Exception {
        try (WebClient web = browser()) {
            HtmlPage page = login(web, "auditor");
            await().atMost(Duration.ofSeconds(60)).until(() -> !page.getElementById("who").getTextContent().isEmpty());
            assertThat(page.getElementById("search").isDisplayed()).isFalse();
            assertThat(page.getElementById("search-form")).isNull();
        }
    }
}
