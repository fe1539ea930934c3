package uk.anprhub.cli;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/anpr-hub demo}: the hub, the NAS simulator and simulated cameras of several vendors over HTTP, TCP and
 * FTP, as separate processes of this same jar, so a force can watch reads arrive, buffer through a NAS outage and
 * drain (docs/operations.md). Prints where to look; Ctrl-C stops all of them. Logs go to files in the data folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a demo: the hub (demo mode), the NAS simulator and simulated cameras of several vendors",
                "over HTTP, TCP and FTP. Prints the console URL and login, the metrics and health URLs, and the commands",
                "to take the simulated NAS down and bring it back. Ctrl-C stops everything. Never on a production hub."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", description = "hub HTTP port (default ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--nas-port", description = "NAS simulator port (default ${DEFAULT-VALUE})")
    int nasPort = 9090;

    @Option(names = "--tcp-port", description = "the hub's TCP feed (nas-json, line framing) (default ${DEFAULT-VALUE})")
    int tcpPort = 7001;

    @Option(names = "--ftp-port", description = "the hub's FTP server; the next 20 ports are its passive ports (default ${DEFAULT-VALUE})")
    int ftpPort = 2121;

    @Option(names = "--data-dir", description = "demo data: embedded database, logs (default ${DEFAULT-VALUE})")
    Path dataDir = Path.of("data-demo");

    @Option(names = "--rate", description = "reads/s of each simulated camera group (default ${DEFAULT-VALUE})")
    double rate = 2;

    private static final String OPS_USER = "ops";
    private static final String FTP_USER = "sharpv";

    private final List<Process> processes = new ArrayList<>();
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dataDir);
        Path data = dataDir.toAbsolutePath();
        String opsPassword = secret();
        String ftpPassword = secret();
        Path config = data.resolve("demo-hub.yaml");
        Files.writeString(config, config(opsPassword, ftpPassword));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "demo-stop"));

        say("anpr-hub demo: starting the NAS simulator, the hub and the cameras (logs in " + data + ")");
        start("nas-sim", data, List.of("nas-sim", "--port", String.valueOf(nasPort)), List.of());
        Process hub = start("hub", data, List.of("run", "--demo"), List.of(
                "SERVER_PORT=" + port, "ANPR_DATA_DIR=" + data, "ANPR_CONFIG=" + config,
                "ANPR_NAS_URL=http://localhost:" + nasPort + "/nas/v1"));
        String base = "http://localhost:" + port;
        if (!waitForHub(hub, base)) {
            say("anpr-hub demo: the hub did not start; see " + data.resolve("hub.log"));
            return 1;
        }
        String r = String.valueOf(rate);
        String target = "localhost:";
        camera("cameras-http-nas-json", data, "--url", base, "--vendor", "nas-json", "--cameras", "10", "--rate", r);
        camera("cameras-http-hikvision", data, "--url", base, "--vendor", "hikvision-isapi", "--rate", r);
        camera("cameras-http-axis", data, "--url", base, "--vendor", "axis-lpv-json", "--rate", r);
        camera("cameras-tcp-nas-json", data, "--transport", "tcp", "--target", target + tcpPort, "--cameras", "10", "--rate", r);
        camera("cameras-ftp-genetec", data, "--transport", "ftp", "--target", target + ftpPort, "--vendor", "genetec-sharpv-ftp",
                "--ftp-user", FTP_USER, "--ftp-password", ftpPassword, "--rate", r);

        String faults = "curl -s -X POST -H 'Content-Type: application/json' http://localhost:" + nasPort + "/nas/v1/_faults -d ";
        say("""

                anpr-hub demo is running: cameras of 4 vendors send reads over HTTP, TCP and FTP; the hub stores them and
                delivers them to the simulated NAS.

                  Hawtio console   %1$s/actuator/hawtio/   login: %2$s / %3$s
                                   (ANPR: uk.anprhub > DeliveryTarget nas; Camel routes by id)
                  metrics          %1$s/actuator/prometheus   (anpr_delivery_backlog, anpr_delivery_lag_seconds ...)
                  health           %1$s/actuator/health/readiness   %1$s/actuator/health
                  delivery state   curl -s -u %2$s:%3$s %1$s/api/v1/delivery/targets
                  NAS received     curl -s http://localhost:%4$d/nas/v1/_stats
                  runbook          docs/operations.md (NAS outage, replay, quarantine); dashboards: ops/grafana/

                Take NAS down (reads buffer in the hub: backlog and lag grow, cameras are still acknowledged):
                  %5$s'{"mode":"down"}'
                Bring it back (the backlog drains within a minute or two):
                  %5$s'{"mode":"up"}'

                Press Ctrl-C to stop the demo (hub, NAS simulator and cameras).""".formatted(
                base, OPS_USER, opsPassword, nasPort, faults));
        int exit = hub.waitFor();
        if (stopping) {
            return 0;
        }
        say("anpr-hub demo: the hub stopped (exit " + exit + "); see " + data.resolve("hub.log"));
        return exit == 0 ? 0 : 1;
    }

    private String config(String opsPassword, String ftpPassword) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
        return """
                # Written by bin/anpr-hub demo at every start: demo accounts with fresh passwords (printed at start).
                anpr:
                  users:
                    - name: %s
                      password-hash: "%s"
                      roles: [ops]
                  tcp:
                    feeds:
                      nas-json:
                        port: %d
                        ack: "{stored} {duplicates}\\n"
                  ftp:
                    enabled: true
                    port: %d
                    passive-ports: %d-%d
                    accounts:
                      - user: %s
                        password-hash: "%s"
                        feed: genetec-sharpv-ftp
                        cameras: [MPS-GEN-*]
                """.formatted(OPS_USER, bcrypt.encode(opsPassword), tcpPort, ftpPort, ftpPort + 1, ftpPort + 20,
                FTP_USER, bcrypt.encode(ftpPassword));
    }

    private void camera(String name, Path data, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("camera-sim", "--duration", "24h", "--clients", "2"));
        command.addAll(List.of(args));
        start(name, data, command, List.of());
    }

    private synchronized Process start(String name, Path data, List<String> args, List<String> env) throws IOException {
        List<String> command = new ArrayList<>(self());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolve(name + ".log").toFile());
        for (String e : env) {
            pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** This same program: the jar it was started from, with the same home. */
    private static List<String> self() {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        List<String> out = new ArrayList<>(List.of(java, "-Xmx512m"));
        String home = System.getProperty("anpr.home");
        if (home != null) {
            out.add("-Danpr.home=" + home);
        }
        if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)) {
            out.addAll(List.of("-jar", classPath));
        } else {
            out.addAll(List.of("-cp", classPath, Launcher.class.getName()));
        }
        return out;
    }

    private static boolean waitForHub(Process hub, String base) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < end && hub.isAlive()) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** Cameras first (they stop sending), then the hub (it finishes its commits), then the NAS simulator. */
    private synchronized void stopAll() {
        stopping = true;
        List<Process> order = new ArrayList<>(processes);
        java.util.Collections.reverse(order); // started: nas-sim, hub, cameras
        Process nas = order.isEmpty() ? null : order.remove(order.size() - 1);
        if (nas != null) {
            order.add(nas);
        }
        boolean said = false;
        for (Process p : order) {
            if (p.isAlive()) {
                if (!said) {
                    say("anpr-hub demo: stopping cameras, hub and NAS simulator ...");
                    said = true;
                }
                p.destroy();
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        say("anpr-hub demo: stopped"); // also when every part had already ended
    }

    private static String secret() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder("demo-");
        for (int i = 0; i < 12; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
