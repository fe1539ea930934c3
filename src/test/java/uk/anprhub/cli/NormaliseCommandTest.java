package uk.anprhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/anpr-hub normalise} as the contract states it: output, exit codes, messages. */
class NormaliseCommandTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        var oldOut = System.out;
        var oldErr = System.err;
        System.setOut(new java.io.PrintStream(out, true));
        System.setErr(new java.io.PrintStream(err, true));
        try {
            int exit = new CommandLine(new Launcher()).execute(args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void printsTheExpectedCanonicalReadsOfEveryPositiveSample() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Path> positives;
        try (Stream<Path> files = Files.walk(Path.of("connectors"))) {
            positives = files.filter(p -> p.toString().endsWith(".expected.json")).filter(p -> !p.toString().contains("_template")).sorted().toList();
        }
        assertThat(positives).isNotEmpty();
        Path sample = Path.of("connectors/nas-json/samples/002-array-with-image.json");
        Run r = run("normalise", "--connector", "nas-json", sample.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        ArrayNode printed = json.createArrayNode();
        for (String line : r.out().strip().split("\n")) {
            ObjectNode read = (ObjectNode) json.readTree(line);
            assertThat(read.has("receivedTimeUtc")).isTrue();
            read.remove("receivedTimeUtc");
            printed.add(read);
        }
        JsonNode expected = json.readTree(Path.of("connectors/nas-json/samples/002-array-with-image.expected.json").toFile());
        assertThat(printed).isEqualTo(expected);
    }

    @Test
    void aRefusedFileGivesAOneLineReasonNamingItAndExit2() {
        Run r = run("normalise", "--connector", "nas-json", "connectors/nas-json/samples/001-single-read.json",
                "connectors/nas-json/samples/901-unknown-camera.json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out().strip().split("\n")).hasSize(1); // the good file still printed its read
        assertThat(r.err().strip().split("\n")).hasSize(1);
        assertThat(r.err()).startsWith("connectors/nas-json/samples/901-unknown-camera.json: unknown-camera:");
    }

    @Test
    void aCameraFileWithAnUnknownKeyIsRefusedNamingFileAndKey(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("typo.yaml"), """
                cameras:
                  - { cameraId: MPS-CAM-0001, sourceId: MPS-DEMO, feedId: MPS, vendor: nas, timezone: Europe/London }
                """);
        Run r = run("normalise", "--connector", "nas-json", "--cameras", tmp.toString(),
                "connectors/nas-json/samples/001-single-read.json");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("typo.yaml").contains("unknown key 'timezone'").contains("timeZone");
    }

    @Test
    void anUnknownConnectorIsExit64WithTheKnownIds() {
        Run r = run("normalise", "--connector", "acme", "x.json");
        assertThat(r.exit()).isEqualTo(64);
        assertThat(r.err()).contains("unknown connector 'acme'").contains("nas-json");
    }

    @Test
    void cameraTzLetsAnEngineerTryAPayloadOfAnUnregisteredCamera() {
        Run r = run("normalise", "--connector", "nas-json", "--accept-unknown-cameras", "--camera-tz", "Europe/London",
                "connectors/nas-json/samples/907-local-time-unknown-camera.json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"captureTimeUtc\":\"2026-11-20T08:15:30.000Z\"").contains("unknown-camera")
                .contains("DEVICE_LOCAL_ASSUMED_TZ");
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("run").contains("normalise").contains("hash-password");
    }
}
