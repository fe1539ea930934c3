package uk.anprhub.simulator.camera;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CameraSimCommandTest {

    @Test
    void countZeroOnlyWritesTheRegistryAndSendsNothing(@TempDir Path dir) throws Exception {
        Path registry = dir.resolve("sim.yaml");
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (ServerSocket hub = new ServerSocket(0)) {
            System.setOut(new PrintStream(printed, true));
            int exit = new CommandLine(new CameraSimCommand()).execute("--vendor", "hikvision-isapi", "--cameras", "3",
                    "--count", "0", "--registry-out", registry.toString(), "--url", "http://127.0.0.1:" + hub.getLocalPort());
            assertThat(exit).isZero();
            hub.setSoTimeout(500);
            boolean connected;
            try (var ignored = hub.accept()) {
                connected = true;
            } catch (SocketTimeoutException e) {
                connected = false;
            }
            assertThat(connected).as("a connection to the hub").isFalse();
        } finally {
            System.setOut(stdout);
        }
        assertThat(printed.toString()).isEmpty();
        assertThat(Files.readString(registry)).contains("SIM-HIKVISION-0001", "SIM-HIKVISION-0003");
    }

    @Test
    void moreNasJsonCamerasThanTheDemoRegistryHasAreRefusedWithAClearMessageBeforeSending() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (ServerSocket hub = new ServerSocket(0)) {
            System.setErr(new PrintStream(printed, true));
            int exit = new CommandLine(new CameraSimCommand()).execute("--cameras", "21", "--count", "5",
                    "--url", "http://127.0.0.1:" + hub.getLocalPort());
            assertThat(exit).isEqualTo(2);
            hub.setSoTimeout(300);
            boolean connected;
            try (var ignored = hub.accept()) {
                connected = true;
            } catch (SocketTimeoutException e) {
                connected = false;
            }
            assertThat(connected).as("a connection to the hub").isFalse();
        } finally {
            System.setErr(stderr);
        }
        assertThat(printed.toString()).contains("--cameras 21", "MPS-DEMO-0001..0010", "--registry-out")
                .doesNotContain("Exception");
    }
}
