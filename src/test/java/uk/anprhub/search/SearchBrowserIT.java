package uk.anprhub.search;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.anprhub.console.Chromium;
import uk.anprhub.support.HubIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The search part of /ui/ in a real browser (headless Chromium over the DevTools protocol): the investigator logs
 * in, fills the search form, sees results with their pictures loaded through the audited image endpoint, no script
 * error and nothing the page's CSP refused. Screenshots in target/screenshots/ (and docs/screenshots/ with
 * {@code -Danpr.docs.screenshots=true}). Skipped when Chromium is not installed.
 */
class SearchBrowserIT extends HubIT {

    static final Path SHOTS = Path.of("target", "screenshots");
    static Chromium browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        Path binary = Chromium.find();
        Assumptions.assumeTrue(binary != null, "chromium not on the PATH: SearchBrowserIT skipped (apt-get install chromium to run it)");
        browser = new Chromium(binary, 1400, 900);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theInvestigatorSearchesAndSeesResultsWithPictures() throws Exception {
        Instant t0 = ReadSearchIT.window();
        String plate = ReadSearchIT.tag() + "21V";
        List<Map<String, Object>> reads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vrm", i == 3 ? plate.substring(0, 3) + "Z1V" : plate); // one read with 2 misread as Z: found fuzzily
            m.put("captureTimeUtc", t0.plusSeconds(i * 95L).toString());
            m.put("cameraId", "MPS-DEMO-%04d".formatted(1 + i));
            m.put("direction", i % 2 == 0 ? "TOWARDS" : "AWAY");
            m.put("confidencePct", 80 + i);
            m.put("plateImage", Map.of("contentType", "image/png", "data", PNG));
            m.put("overviewImage", Map.of("contentType", "image/png", "data", PNG));
            reads.add(m);
        }
        assertThat(postJson("/ingest/nas-json", JSON.writeValueAsString(reads)).statusCode()).isEqualTo(200);

        browser.navigate(uri("/login").toString());
        awaitPage("login", () -> browser.eval("!!document.getElementById('username')").asBoolean());
        browser.eval("document.getElementById('username').value='investigator';"
                + "document.getElementById('password').value='ops-test-password';document.querySelector('form').submit();true");
        awaitPage("logged in", () -> !browser.location().contains("/login"));
        browser.navigate(uri("/ui/").toString());
        awaitPage("search form", () -> browser.eval("document.getElementById('search').dataset.ready === 'true'").asBoolean());

        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneId.of(timeZone()));
        browser.eval("""
                (() => { const set = (id, v) => { document.getElementById(id).value = v; };
                  set('search-vrm', '%s'); document.getElementById('search-fuzzy').checked = true;
                  set('search-from', '%s'); set('search-to', '%s');
                  set('search-reason', 'Vehicle used in a series of fuel thefts'); set('search-reference', 'CAD-4471-23');
                  return true; })()""".formatted(plate, local.format(t0.minus(Duration.ofHours(1))), local.format(t0.plus(Duration.ofHours(1)))));
        shot("search-form");
        browser.eval("document.getElementById('search-go').click();true");
        awaitPage("results", () -> browser.eval("document.querySelectorAll('#search-table tr.search-hit').length").asInt() == 8);
        awaitPage("thumbnails", () -> browser.eval("[...document.querySelectorAll('#search-table img')]"
                + ".every(i => i.complete && i.naturalWidth > 0)").asBoolean());
        shot("search-results");
        assertThat(browser.eval("document.querySelector('#search-table td.plate').textContent").asText()).hasSize(plate.length());
        assertThat(errors()).as("script errors and CSP refusals").isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'reads.image.view' and detail ->> 'reference' = 'CAD-4471-23'",
                Integer.class)).isGreaterThanOrEqualTo(16);
    }

    /** The browser's time zone (the page turns the form's local times into UTC in it). */
    static String timeZone() throws Exception {
        return browser.eval("Intl.DateTimeFormat().resolvedOptions().timeZone").asText();
    }

    /** A 24×12 PNG of a plate's yellow (what a thumbnail needs to be a real image for the browser). */
    static final String PNG = java.util.Base64.getEncoder().encodeToString(png());

    static byte[] png() {
        try {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(24, 12, java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(new java.awt.Color(0xF5, 0xC5, 0x00));
            g.fillRect(0, 0, 24, 12);
            g.setColor(java.awt.Color.BLACK);
            g.fillRect(3, 4, 18, 4);
            g.dispose();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void shot(String name) throws Exception {
        Path file = SHOTS.resolve(name + ".png");
        browser.screenshot(file);
        if (Boolean.getBoolean("anpr.docs.screenshots")) {
            Files.createDirectories(Path.of("docs", "screenshots"));
            Files.copy(file, Path.of("docs", "screenshots", name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void awaitPage(String what, Callable<Boolean> state) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(state);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            browser.screenshot(SHOTS.resolve("failed-search-" + what.replace(' ', '-') + ".png"));
            String body = browser.eval("document.body ? document.body.innerText : ''").asText();
            throw new AssertionError("no " + what + " within 60 s; at " + browser.location() + ": "
                    + body.substring(0, Math.min(2000, body.length())) + "\nerrors: " + errors(), e);
        }
    }

    static List<String> errors() {
        List<String> out = new ArrayList<>();
        browser.events("Runtime.exceptionThrown").forEach(e -> out.add(e.path("exceptionDetails").toString()));
        // the browser's own favicon probe (the hub has none) is not the page's doing
        browser.events("Log.entryAdded").stream().filter(e -> "error".equals(e.path("entry").path("level").asText())
                        && !e.path("entry").path("url").asText().endsWith("/favicon.ico"))
                .forEach(e -> out.add(e.path("entry").toString()));
        return out;
    }
}
