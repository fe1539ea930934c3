package uk.anprhub.opsfiles;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ops/prometheus: the alert rules load ({@code promtool check rules}) and pass their unit tests ({@code promtool test
 * rules}); every alert explains itself and links to an existing section of the runbook. Skips the promtool part
 * with a plain message when promtool is not on the PATH (Debian/Ubuntu: {@code apt-get install prometheus}).
 */
class AlertRulesTest {

    @Test
    void promtoolChecksTheRules() throws Exception {
        String out = promtool("check", "rules", OpsFiles.RULES.getFileName().toString());
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void promtoolUnitTestsPassAndCoverEveryAlert() throws Exception {
        String out = promtool("test", "rules", OpsFiles.RULE_TESTS.getFileName().toString());
        assertThat(out).contains("SUCCESS");
        String tests = Files.readString(OpsFiles.RULE_TESTS);
        for (JsonNode alert : OpsFiles.alerts()) {
            String name = alert.path("alert").asText();
            assertThat(tests).as("a firing and a silent case of " + name)
                    .containsPattern("alertname: " + name + "\\s+exp_alerts: \\[]")
                    .containsPattern("alertname: " + name + "\\s+exp_alerts:\\s+- exp_labels");
        }
    }

    @Test
    void everyAlertHasASummaryADescriptionAndARunbookSectionThatExists() throws Exception {
        Set<String> anchors = anchors(Files.readString(OpsFiles.RUNBOOK));
        List<String> names = new ArrayList<>();
        for (JsonNode alert : OpsFiles.alerts()) {
            String name = alert.path("alert").asText();
            names.add(name);
            JsonNode a = alert.path("annotations");
            assertThat(a.path("summary").asText()).as(name).isNotBlank();
            assertThat(a.path("description").asText()).as(name).isNotBlank();
            assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("critical", "warning");
            String url = a.path("runbook_url").asText();
            assertThat(url).as(name).startsWith("docs/operations.md#");
            assertThat(anchors).as(name + " runbook section").contains(url.substring(url.indexOf('#') + 1));
        }
        assertThat(names).contains("AnprHubDown", "AnprDeliveryTargetDown", "AnprDeliveryLagHigh", "AnprDeadLettersRising",
                "AnprCamerasSilent", "AnprStoreBehind", "AnprDiskLow");
        String runbook = Files.readString(OpsFiles.RUNBOOK);
        names.forEach(n -> assertThat(runbook).as("the runbook's alert table names " + n).contains(n));
    }

    @Test
    void metricNamesAreFoundInPromql() {
        assertThat(OpsFiles.metricNames("sum by (target, le) (rate(anpr_x_bucket{instance=~\"$instance\", uri=~\"/a.*\"}[$__rate_interval]))"
                + " unless on (job) max(up{job=\"anpr-hub\"}) > 5 * 1024 or histogram_quantile(0.5, b_total) and bool c"))
                .containsExactlyInAnyOrder("anpr_x_bucket", "up", "b_total", "c");
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> out = new HashSet<>();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                out.add(line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return out;
    }

    private static String promtool(String... args) throws Exception {
        Assumptions.assumeTrue(onPath("promtool"), "promtool is not on the PATH: alert rules not checked (apt-get install prometheus)");
        List<String> cmd = new ArrayList<>(List.of("promtool"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(OpsFiles.RULES.getParent().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
