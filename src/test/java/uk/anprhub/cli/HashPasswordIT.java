package uk.anprhub.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15.7: {@code hash-password} of the real jar prints the hash and nothing else on stdout (scripts capture it). */
class HashPasswordIT {

    @Test
    void stdoutHoldsOnlyTheHash() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-jar", Path.of("target", "anpr-hub.jar").toString(), "hash-password")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = p.getOutputStream()) {
            in.write("correct horse battery staple\n".getBytes(StandardCharsets.UTF_8));
        }
        String stdout = read(p);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(stdout).matches("\\$2a\\$10\\$[./A-Za-z0-9]{53}\n");
    }

    private static String read(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
