package uk.anprhub.console;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.anprhub.access.AccessHub;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The /ui/ page's access parts in a real browser (headless Chromium over the DevTools protocol, the page's CSP in
 * force): an auditor's audit view and an investigator's national search with its results, each with a screenshot in
 * target/screenshots/. Skipped when Chromium is not installed (HtmlUnit's AccessPageIT covers the same in verify).
 */
class AccessBrowserIT extends AccessHub {

    static final Path SHOTS = Path.of("target", "screenshots");
    Chromium browser;

    @BeforeEach
    void startBrowser() throws Exception {
        Path binary = Chromium.find();
        Assumptions.assumeTrue(binary != null, "chromium not on the PATH: skipped");
        browser = new Chromium(binary, 1400, 900);
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    private void logIn(String user) throws Exception {
        browser.navigate(uri("/ui/").toString());
        awaitPage("login page", () -> browser.location().contains("/login")
                && browser.eval("!!document.querySelector('input[name=password]')").asBoolean());
        browser.eval("document.getElementById('username').value='" + user + "';"
                + "document.getElementById('password').value='" + PASSWORD + "';document.querySelector('form').submit();true");
        awaitPage("the page logged in as " + user, () -> browser.location().contains("/ui/")
                && user.equals(browser.eval("document.getElementById('who') ? document.getElementById('who').textContent : ''").asText()));
    }

    /** Waits for a state of the page; on timeout says where the browser is and what it shows. */
    private void awaitPage(String what, java.util.concurrent.Callable<Boolean> state) throws Exception {
        try {
            await(what).atMost(Duration.ofSeconds(30)).until(state);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + " not reached; at " + browser.location() + ": "
                    + eval("document.body ? document.body.innerText.substring(0, 500) : ''") + " / exceptions: "
                    + browser.events("Runtime.exceptionThrown") + " / console: " + browser.events("Runtime.consoleAPICalled"), e);
        }
    }

    private String eval(String js) throws Exception {
        return browser.eval(js).asText();
    }

    @Test
    void theAuditorsView() throws Exception {
        jdbc.update("insert into audit_log (actor, action, source, detail) values ('pc1234', 'national.search', '10.20.30.40',"
                + " '{\"reason\": \"vehicle linked to a burglary series\", \"reference\": \"CR/2026/11873\", \"purpose\": \"crime-investigation\"}')");
        logIn("auditor");
        awaitPage("audit rows", () -> eval("document.getElementById('audit-status') ? document.getElementById('audit-status').textContent : ''")
                .matches("\\d+ row\\(s\\).*"));
        assertThat(eval("String(document.getElementById('search').hidden)")).isEqualTo("true");
        assertThat(eval("document.getElementById('audit-table').textContent")).contains("CR/2026/11873");
        browser.screenshot(SHOTS.resolve("access-01-audit.png"));
        assertThat(browser.events("Runtime.exceptionThrown")).isEmpty();
    }

    @Test
    void theInvestigatorsNationalSearch() throws Exception {
        String vrm = "BR" + (10 + (int) (Math.random() * 89)) + "OWS";
        for (int i = 0; i < 3; i++) {
            String capture = "[{\"readId\":\"" + UUID.randomUUID() + "\",\"vrm\":\"" + vrm + "\",\"captureTimeUtc\":\""
                    + Instant.now().minus(2 + 5L * i, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS) + "\",\"cameraId\":\"MPS-DEMO-000" + (i + 1)
                    + "\",\"direction\":\"TOWARDS\",\"latitude\":51.50" + i + ",\"longitude\":-0.12" + i + "}]";
            HttpResponse<String> fed = HTTP.send(HttpRequest.newBuilder(URI.create(NAS.nasUrl() + "/captures"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(capture)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(fed.body()).contains("ACCEPTED");
        }
        logIn("investigator");
        awaitPage("national form", () -> browser.eval("!!document.getElementById('national-form')").asBoolean());
        browser.eval("document.getElementById('national-vrm').value='" + vrm + "';"
                + "document.getElementById('national-reason').value='stolen vehicle seen heading north';"
                + "document.getElementById('national-reference').value='CR/2026/11873';"
                + "document.getElementById('national-purpose').value='crime-investigation';"
                + "document.getElementById('national-go').click();true");
        awaitPage("national results", () -> eval("document.getElementById('national-status').textContent").startsWith("3 result"));
        browser.screenshot(SHOTS.resolve("access-02-national.png"));
        assertThat(browser.events("Runtime.exceptionThrown")).isEmpty();
    }
}
