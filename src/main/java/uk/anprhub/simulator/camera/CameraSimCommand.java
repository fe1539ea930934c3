package uk.anprhub.simulator.camera;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import uk.anprhub.core.Home;
import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraConfiguration;
import uk.anprhub.camera.CameraRegistry;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code bin/anpr-hub camera-sim}: simulated cameras sending reads to a hub and reporting what was acknowledged.
 * Used by the benchmark, the demo and by hand ("does the hub keep up with 250 reads/s?"). docs/camera-sim.md.
 */
@Command(name = "camera-sim", mixinStandardHelpOptions = true,
        description = {"Simulate ANPR cameras sending reads to a hub over HTTP, TCP, FTP or MQTT.", "",
                "--vendor nas-json (default): generated canonical reads (random UK plates, current times).",
                "--vendor <connector id>: that connector's samples, varied per message (plate, time, read id, camera).",
                "", "Reports sent, acknowledged, refused, pushed back and acknowledgement latency percentiles.",
                "Acknowledged: HTTP 2xx and a TCP ack come after the hub's commit; FTP 226 and the MQTT PUBACK",
                "only mean the FTP server / broker accepted the message: the hub commits it afterwards.",
                "See docs/camera-sim.md.", ""})
public final class CameraSimCommand implements Callable<Integer> {

    @Option(names = "--transport", description = "http, tcp, ftp or mqtt (default ${DEFAULT-VALUE})")
    String transport = "http";

    @Option(names = "--vendor", description = "connector id whose samples are the templates (default ${DEFAULT-VALUE}: generated canonical reads)")
    String vendor = "nas-json";

    @Option(names = "--url", description = "HTTP: hub base URL (default ${DEFAULT-VALUE})")
    URI url = URI.create("http://localhost:8080");

    @Option(names = "--feed", description = "HTTP: feed id to post to (default: the --vendor connector id)")
    String feed;

    @Option(names = "--target", description = "TCP/FTP: host:port of the hub's feed or FTP server")
    String target;

    @Option(names = "--framing", description = "TCP: line or stx-etx (default ${DEFAULT-VALUE})")
    String framing = "line";

    @Option(names = "--ftp-user", description = "FTP: account")
    String ftpUser;

    @Option(names = "--ftp-password", description = "FTP: password", arity = "0..1", interactive = true)
    String ftpPassword;

    @Option(names = "--mqtt-url", description = "MQTT: broker URL (default ${DEFAULT-VALUE})")
    String mqttUrl = "tcp://localhost:1883";

    @Option(names = "--topic", description = "MQTT: topic to publish to (default: the sample's topic, else anpr/<vendor>)")
    String topic;

    @Option(names = "--cameras", description = "number of cameras to spread reads over (default ${DEFAULT-VALUE}); "
            + "nas-json: MPS-DEMO-0001..N, or SIM-NAS-0001..N with --registry-out")
    int cameras = 10;

    @Option(names = "--registry-out", description = "write a camera registry YAML with the simulated cameras SIM-<VENDOR>-0001..N "
            + "and make the messages carry their identities (load it into the hub's registry)")
    Path registryOut;

    @Option(names = "--clients", description = "concurrent connections (default ${DEFAULT-VALUE})")
    int clients = 20;

    @Option(names = "--batch", description = "nas-json only: reads per message: 1 = one read object, >1 = an array (default ${DEFAULT-VALUE})")
    int batch = 1;

    @Option(names = "--rate", description = "target reads/s over all clients; 0 = as fast as acknowledged (default ${DEFAULT-VALUE})")
    double rate = 0;

    @Option(names = "--duration", converter = DurationConverter.class, description = "how long to send, e.g. 30s, 5m (default ${DEFAULT-VALUE})")
    Duration duration = Duration.ofSeconds(30);

    @Option(names = "--count", description = "stop after this many reads (default: no limit); 0 = send nothing, only write --registry-out")
    long count = Long.MAX_VALUE;

    @Option(names = "--warmup", converter = DurationConverter.class, description = "leading period not counted in the report (default ${DEFAULT-VALUE})")
    Duration warmup = Duration.ZERO;

    @Option(names = "--repeat-share", description = "share of messages re-sent as a camera retry would (0..1, default ${DEFAULT-VALUE})")
    double repeatShare = 0;

    @Option(names = "--bad-share", description = "share of messages the hub must refuse (0..1, default ${DEFAULT-VALUE}); "
            + "nas-json: a future capture time; a vendor: its quarantine samples")
    double badShare = 0;

    @Option(names = "--silent-camera", paramLabel = "ID[@seconds]", description = "nas-json: that camera stops sending "
            + "after N seconds (without @: sends nothing); repeatable. For camera health (docs/camera-health.md)")
    List<String> silentCameras = new java.util.ArrayList<>();

    @Option(names = "--drift-camera", paramLabel = "ID=+30s", description = "nas-json: that camera's clock is off by this "
            + "(+ ahead, - behind): its capture times are shifted; repeatable")
    List<String> driftCameras = new java.util.ArrayList<>();

    @Option(names = "--report-json", description = "also write the report as JSON to this file")
    Path reportJson;

    @Override
    public Integer call() throws Exception {
        // stdout is the report: the registry's INFO line is not wanted there
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CameraRegistry.class)).setLevel(ch.qos.logback.classic.Level.WARN);
        Set<String> notes = new LinkedHashSet<>();
        MessageSource source;
        Sender.Factory senders;
        try {
            source = source(notes);
            senders = count == 0 ? null : senders();
        } catch (IllegalArgumentException e) { // a wrong option: one line that says which, not a stack trace
            System.err.println("camera-sim: " + e.getMessage());
            return 2;
        }
        notes.forEach(n -> System.err.println("note: " + n));
        if (count == 0) { // --registry-out FILE --count 0: only write the registry, for the hub to load before a run
            return 0;
        }
        SimSettings s = new SimSettings(clients, rate, duration, count, warmup, repeatShare, badShare);
        SimReport report = new SimRun(s, source, senders).run(transport, vendor);
        System.out.println(report.summary());
        if (reportJson != null) {
            report.writeJson(reportJson);
        }
        return report.sentRequests() > 0 ? 0 : 1;
    }

    private MessageSource source(Set<String> notes) throws Exception {
        if (vendor.equals("nas-json")) {
            String prefix = "MPS-DEMO-";
            if (registryOut != null) {
                prefix = "SIM-NAS-";
                Files.writeString(registryOut, NasCameras.yaml(cameras));
            } else {
                refuseMoreThanTheDemoRegistryHas(prefix, notes);
            }
            return new CanonicalReads(prefix, cameras, batch, CameraFaults.parse(silentCameras, driftCameras));
        }
        if (!silentCameras.isEmpty() || !driftCameras.isEmpty()) {
            throw new IllegalArgumentException("--silent-camera and --drift-camera work with --vendor nas-json only");
        }
        CameraRegistry demo = new CameraRegistry(Home.resolve(CameraConfiguration.DEMO_REGISTRY));
        List<Camera> demoCameras = List.of();
        try {
            demo.reload();
            demoCameras = demo.cameras();
        } catch (java.io.IOException e) {
            notes.add("demo registry src/test/resources/cameras not readable (" + e.getMessage() + "): camera identities cannot be varied");
        }
        VendorTemplates t = VendorTemplates.load(vendor, Home.resolve(Path.of("connectors")), demoCameras, cameras,
                registryOut != null, notes::add);
        if (registryOut != null) {
            Files.writeString(registryOut, t.registryYaml());
        }
        if (badShare > 0 && !t.hasBadSamples()) {
            throw new IllegalArgumentException("--bad-share: connector '" + vendor + "' has no quarantine samples");
        }
        if (topic == null) {
            topic = t.templates().stream().map(VendorTemplates.Template::topic).filter(java.util.Objects::nonNull)
                    .findFirst().orElse("anpr/" + vendor);
        }
        if (transport.equals("tcp") && framing.equals("line")
                && t.templates().stream().anyMatch(x -> x.text().indexOf('\n') >= 0)) {
            notes.add("line framing: some samples of " + vendor + " span several lines and will be cut; use --framing stx-etx");
        }
        return t;
    }

    /** Reads for cameras the hub does not know are refused: say so here rather than report half of them refused. */
    private void refuseMoreThanTheDemoRegistryHas(String prefix, Set<String> notes) {
        CameraRegistry demo = new CameraRegistry(Home.resolve(CameraConfiguration.DEMO_REGISTRY));
        try {
            demo.reload();
        } catch (java.io.IOException e) {
            notes.add("demo registry src/test/resources/cameras not readable (" + e.getMessage() + "): --cameras not checked against it");
            return;
        }
        long known = java.util.stream.IntStream.rangeClosed(1, cameras)
                .filter(i -> demo.cameras().stream().anyMatch(c -> c.cameraId().equals(prefix + String.format("%04d", i))))
                .count();
        if (known < cameras) {
            throw new IllegalArgumentException("--cameras " + cameras + ": the demo registry (src/test/resources/cameras) has only "
                    + prefix + "0001.." + String.format("%04d", known) + ", and the hub refuses reads of unknown cameras."
                    + " Use --cameras " + known + " or less, or --registry-out FILE to write a registry with SIM-NAS-0001.."
                    + String.format("%04d", cameras) + " for the hub to load (anpr.cameras.location)");
        }
    }

    private Sender.Factory senders() {
        return switch (transport) {
            case "http" -> HttpSender.factory(url.resolve("/ingest/" + (feed != null ? feed : vendor)));
            case "tcp" -> TcpSender.factory(host(), port(), framing);
            case "ftp" -> {
                if (ftpUser == null || ftpPassword == null) {
                    throw new IllegalArgumentException("--transport ftp needs --ftp-user and --ftp-password");
                }
                yield FtpSender.factory(host(), port(), ftpUser, ftpPassword);
            }
            case "mqtt" -> MqttSender.factory(mqttUrl, topic != null ? topic : "anpr/" + vendor);
            default -> throw new IllegalArgumentException("--transport must be http, tcp, ftp or mqtt, not " + transport);
        };
    }

    private String host() {
        if (target == null || target.lastIndexOf(':') < 0) {
            throw new IllegalArgumentException("--transport " + transport + " needs --target host:port");
        }
        return target.substring(0, target.lastIndexOf(':'));
    }

    private int port() {
        host();
        return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    }
}
