package uk.anprhub.console;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;
import uk.anprhub.support.TestReads;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console in a real browser (headless Chromium over the DevTools protocol): {@code /} leads to the login page,
 * the ops account logs in, Hawtio's Camel routes and a route diagram render without a JavaScript error, the JMX tree
 * shows the hub's MBeans, the delivery target running and paused; then the session ends (as after a restart) and the
 * open console goes to the login page by itself, without a Basic challenge or a dialog. Screenshots in
 * target/screenshots/ (copies in docs/screenshots/). Runs in a JVM of its own (failsafe execution {@code browser}), so
 * Hawtio shows this hub's Camel context; skipped when Chromium is not installed.
 */
class ConsoleBrowserIT extends ConsoleHub {

    @org.springframework.beans.factory.annotation.Autowired
    uk.anprhub.delivery.DeliveryService delivery;

    static final Path SHOTS = Path.of("target", "screenshots");
    static Chromium browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        Path binary = Chromium.find();
        Assumptions.assumeTrue(binary != null, "chromium not on the PATH: skipped");
        browser = new Chromium(binary, 1400, 900);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theConsoleShowsTheHubAndAnEndedSessionGoesBackToTheLoginPage() throws Exception {
        postJson("/ingest/nas-json", TestReads.read(TestReads.plate(), Instant.now().minusSeconds(30), 1));

        browser.navigate(uri("/").toString());
        awaitLocation("/login");
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.eval("!!document.querySelector('input[name=password]')").asBoolean());
        browser.screenshot(SHOTS.resolve("01-login.png"));

        browser.eval("document.getElementById('username').value='" + USER + "';"
                + "document.getElementById('password').value='" + PASSWORD + "';document.querySelector('form').submit();true");
        awaitPage("start page", 30, () -> text().contains("Console (Hawtio)") && !browser.location().contains("/login"));
        browser.screenshot(SHOTS.resolve("02-start-page.png"));

        // a JVM of its own (failsafe execution "browser"): this hub's Camel context is the one Hawtio shows
        browser.navigate(uri("/actuator/hawtio/camel/routes").toString());
        awaitPage("routes", 90, () -> text().contains("delivery-nas"));
        browser.screenshot(SHOTS.resolve("03-camel-routes.png"));

        clickText("delivery-nas");
        awaitPage("diagram tab", 30, () -> clickText("Route Diagram"));
        awaitPage("diagram", 60, () -> browser.eval(
                "!!document.querySelector('.react-flow__node, .react-flow svg, svg.react-flow__edges, canvas')").asBoolean());
        browser.screenshot(SHOTS.resolve("04-route-diagram.png"));

        browser.navigate(uri("/actuator/hawtio/jmx").toString());
        awaitPage("jmx tree", 60, () -> text().contains("uk.anprhub"));
        clickText("uk.anprhub");
        // the folder lists the hub's MBeans (Cameras, DeliveryTarget, Quarantine)
        awaitPage("uk.anprhub folder", 30, () -> text().contains("uk.anprhub:type=Cameras") && text().contains("uk.anprhub:type=Quarantine"));
        browser.navigate(uri("/actuator/hawtio/jmx/attributes?nid=uk.anprhub-Cameras").toString());
        awaitPage("cameras attributes", 60, () -> text().contains("LastSeen") && text().contains("MPS-DEMO-0001 20"));
        browser.screenshot(SHOTS.resolve("05-jmx-cameras.png"));
        // the delivery target MBean, then the same target paused (docs/screenshots/)
        browser.navigate(uri("/actuator/hawtio/jmx/attributes?nid=uk.anprhub-DeliveryTarget-nas").toString());
        awaitPage("delivery target", 30, () -> text().contains("Backlog") && text().contains("BreakerState"));
        browser.screenshot(SHOTS.resolve("06-jmx-delivery-target.png"));
        delivery.pause("nas", "NAS maintenance window 14:00-15:00");
        try {
            browser.navigate(uri("/actuator/hawtio/jmx/attributes?nid=uk.anprhub-DeliveryTarget-nas").toString());
            awaitPage("paused delivery target", 30, () -> text().contains("NAS maintenance window 14:00-15:00"));
            browser.screenshot(SHOTS.resolve("07-jmx-delivery-target-paused.png"));
        } finally {
            delivery.resume("nas", "screenshot taken");
        }

        assertThat(errors()).as("JavaScript errors in the console").isEmpty();

        // the session ends as at a hub restart: the browser still holds a cookie the hub no longer knows
        browser.send("Network.setCookie", browser.params().put("name", "JSESSIONID").put("value", "0123456789ABCDEF0123456789ABCDEF")
                .put("url", uri("/").toString()).put("httpOnly", true));
        int before = browser.events.size();
        // the console's next background request gets a bare 401 (no Basic challenge, so no password dialog) and the
        // hub's script in Hawtio's page goes to the login page, with a note, by itself
        try {
            awaitPage("login page after the session ended", 90, () -> browser.location().contains("/login?expired")
                    && text().contains("session ended"));
        } finally {
            browser.events.subList(before, browser.events.size()).stream().filter(e -> "Network.responseReceived".equals(e.path("method").asText()))
                    .forEach(e -> System.out.println("after the session ended: " + e.path("params").path("response").path("status")
                            + " " + e.path("params").path("response").path("url")));
        }
        browser.screenshot(SHOTS.resolve("08-after-session-end.png"));
        List<JsonNode> after = browser.events.subList(before, browser.events.size());
        assertThat(after).as("401 answers to the console's requests once the session ended")
                .anySatisfy(e -> assertThat(e.toString()).contains("\"status\":401"));
        assertThat(browser.events("Page.javascriptDialogOpening")).as("dialogs").isEmpty();
        List<JsonNode> answers = browser.events.subList(0, browser.events.size()).stream()
                .filter(e -> e.path("method").asText().startsWith("Network.responseReceived")).toList();
        assertThat(answers).noneSatisfy(e -> assertThat(e.toString()).containsIgnoringCase("\"www-authenticate\":\"Basic"));
        long unauthorised = after.stream().filter(e -> "Network.responseReceived".equals(e.path("method").asText())
                && e.path("params").path("response").path("status").asInt() == 401).count();
        System.out.println("401 answers after the session ended: " + unauthorised + "; events: " + after.size());
    }

    /** Waits for a page state; on timeout a screenshot ({@code failed-<what>.png}) and the page's address and text. */
    private void awaitPage(String what, int seconds, java.util.concurrent.Callable<Boolean> state) throws Exception {
        System.out.println(Instant.now() + " waiting for " + what);
        try {
            await().atMost(Duration.ofSeconds(seconds)).ignoreExceptions().until(state);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            browser.screenshot(SHOTS.resolve("failed-" + what.replace(' ', '-') + ".png"));
            String body = text();
            throw new AssertionError("no " + what + " within " + seconds + " s; at " + browser.location() + ": "
                    + body.substring(0, Math.min(2000, body.length())) + "\nerrors: " + errors(), e);
        }
    }

    private void awaitLocation(String part) {
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.location().contains(part));
    }

    private String text() throws Exception {
        return browser.eval("document.body ? document.body.innerText : ''").asText();
    }

    /** Clicks the innermost element whose own text is exactly {@code label}; false when there is none yet. */
    private boolean clickText(String label) throws Exception {
        return browser.eval("""
                (() => { const all = [...document.querySelectorAll('button, a, span, div, li')]
                    .filter(e => e.textContent.trim() === %s && e.offsetParent !== null);
                  const el = all.find(e => ![...e.children].some(c => c.textContent.trim() === %<s)) || all[0];
                  if (!el) return false; el.click(); return true; })()""".formatted(JSON.valueToTree(label).toString())).asBoolean();
    }

    private List<String> errors() {
        List<String> out = new java.util.ArrayList<>();
        browser.events("Runtime.exceptionThrown").forEach(e -> out.add(e.path("exceptionDetails").toString()));
        // network entries are answers, not script errors (Hawtio probes /preset-connections, absent in Spring Boot: 404)
        browser.events("Log.entryAdded").stream().filter(e -> "error".equals(e.path("entry").path("level").asText())
                        && !"network".equals(e.path("entry").path("source").asText()))
                .forEach(e -> out.add(e.path("entry").toString()));
        return out;
    }

    private void postJson(String path, String body) throws Exception {
        HTTP.send(java.net.http.HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
