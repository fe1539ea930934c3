package uk.anprhub.opsfiles;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15.7: the systemd unit and container recipe a force starts from, and the README's config step. */
class OpsRecipesTest {

    @Test
    void theSystemdUnitRunsAsADedicatedUserWithHardeningAndAnEnvironmentFile() throws Exception {
        List<String> unit = Files.readAllLines(Path.of("ops", "systemd", "anpr-hub.service"));
        assertThat(unit).contains("User=anpr", "EnvironmentFile=/etc/anpr/hub.env", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "ProtectHome=yes", "ReadWritePaths=/var/lib/anpr", "PrivateTmp=yes",
                "CapabilityBoundingSet=", "Environment=ANPR_DATA_DIR=/var/lib/anpr");
        assertThat(unit).anyMatch(l -> l.startsWith("ExecStart=/usr/bin/java ") && l.endsWith(" run"));
    }

    @Test
    void theContainerRecipeIsAJdk17RuntimeRunningAsNonRoot() throws Exception {
        String file = Files.readString(Path.of("ops", "container", "Containerfile"));
        assertThat(file).containsPattern("(?m)^FROM \\S*(temurin|openjdk)\\S*:17\\S*-jre");
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(file);
        assertThat(user.find()).isTrue();
        assertThat(user.group(1)).doesNotStartWith("root").doesNotStartWith("0:").isNotEqualTo("0");
        assertThat(file).contains("VOLUME [\"/var/lib/anpr\"]", "/actuator/health/readiness");
    }

    @Test
    void theReadmeCreatesTheConfigFolderBeforeWritingIntoIt() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int write = readme.indexOf("cat > /etc/anpr/hub.yaml");
        assertThat(write).isPositive();
        assertThat(readme.substring(0, write)).containsPattern("(mkdir -p|install -d)[^\\n]* /etc/anpr\\b");
    }
}
