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
 * shows the hub's MBeans; then the session ends (as after a restart) and the open console goes back to the login page
 * without any Basic challenge. Screenshots in target/screenshots/. Skipped when Chromium is not installed.
 */
class ConsoleBrowserIT extends ConsoleHub {

    static final Path SHOTS = Path.of("target", "screenshots");
    static Chromium browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        Path binary = Chromium.find();
        Assumptions.assumeTrue(binary != null, "Chromium is not installed (/usr/bin/chromium or on the PATH): browser check skipped");
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

        // Hawtio's Camel pages show one Camel context: with other tests' hub contexts alive in this JVM it may be
        // another one, so the route pages are checked only when this hub's context is the only one
        int camelContexts = java.lang.management.ManagementFactory.getPlatformMBeanServer()
                .queryNames(new javax.management.ObjectName("org.apache.camel:type=context,*"), null).size();
        org.junit.jupiter.api.Assumptions.assumeTrue(camelContexts == 1, "ConsoleBrowserIT SKIPPED here: " + camelContexts
                + " Camel contexts in this JVM, Hawtio may show another test's hub; run -Dit.test=ConsoleBrowserIT alone");
        if (camelContexts == 1) {
            browser.navigate(uri("/actuator/hawtio/camel/routes").toString());
            awaitPage("routes", 90, () -> text().contains("delivery-nas"));
            browser.screenshot(SHOTS.resolve("03-camel-routes.png"));

            clickText("delivery-nas");
            awaitPage("diagram tab", 30, () -> clickText("Route Diagram"));
            awaitPage("diagram", 60, () -> browser.eval(
                    "!!document.querySelector('.react-flow__node, .react-flow svg, svg.react-flow__edges, canvas')").asBoolean());
            browser.screenshot(SHOTS.resolve("04-route-diagram.png"));
        } else {
            System.out.println("ConsoleBrowserIT: route pages SKIPPED: " + camelContexts
                    + " Camel contexts in this JVM (run -Dit.test=ConsoleBrowserIT alone to check them)");
        }

        browser.navigate(uri("/actuator/hawtio/jmx").toString());
        awaitPage("jmx tree", 60, () -> text().contains("uk.anprhub"));
        clickText("uk.anprhub");
        // the folder lists the hub's MBeans (Cameras, DeliveryTarget, Quarantine)
        awaitPage("uk.anprhub folder", 30, () -> text().contains("uk.anprhub:type=Cameras") && text().contains("uk.anprhub:type=Quarantine"));
        boolean deliveryMBean = text().contains("DeliveryTarget");
        browser.navigate(uri("/actuator/hawtio/jmx/attributes?nid=uk.anprhub-Cameras").toString());
        awaitPage("cameras attributes", 60, () -> text().contains("LastSeen") && text().contains("MPS-DEMO-0001 20"));
        browser.screenshot(SHOTS.resolve("05-jmx-cameras.png"));
        // the delivery target MBean (docs/ screenshots), when this build has it
        if (deliveryMBean) {
            browser.navigate(uri("/actuator/hawtio/jmx/attributes?nid=uk.anprhub-DeliveryTarget-nas").toString());
            awaitPage("delivery target", 30, () -> text().contains("Backlog") && text().contains("BreakerState"));
            browser.screenshot(SHOTS.resolve("06-jmx-delivery-target.png"));
        }

        assertThat(errors()).as("JavaScript errors in the console").isEmpty();

        // the session ends as at a hub restart: the browser still holds a cookie the hub no longer knows
        browser.send("Network.setCookie", browser.params().put("name", "JSESSIONID").put("value", "0123456789ABCDEF0123456789ABCDEF")
                .put("url", uri("/").toString()).put("httpOnly", true));
        int before = browser.events.size();
        // Hawtio's background requests now get a bare 401 (no Basic challenge, so no password dialogs) ...
        awaitPage("a 401 for the console's background requests", 60, () -> browser.events.subList(before, browser.events.size()).stream()
                .anyMatch(e -> e.toString().contains("\"status\":401")));
        // ... and the next page load (Hawtio does not navigate by itself; a reload does) is the login page, with a note
        try {
            browser.navigate(browser.location());
            awaitPage("login page after the session ended", 60, () -> browser.location().contains("/login?expired")
                    && text().contains("session ended"));
        } finally {
            browser.events.subList(before, browser.events.size()).stream().filter(e -> "Network.responseReceived".equals(e.path("method").asText()))
                    .forEach(e -> System.out.println("after the session ended: " + e.path("params").path("response").path("status")
                            + " " + e.path("params").path("response").path("url")));
        }
        browser.screenshot(SHOTS.resolve("07-after-session-end.png"));
        List<JsonNode> answers = browser.events.subList(0, browser.events.size()).stream()
                .filter(e -> e.path("method").asText().startsWith("Network.responseReceived")).toList();
        assertThat(answers).noneSatisfy(e -> assertThat(e.toString()).containsIgnoringCase("\"www-authenticate\":\"Basic"));
        System.out.println("events after the session ended: " + (browser.events.size() - before));
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
