package uk.anprhub.connector;

import uk.anprhub.connector.decode.Decoder;
import uk.anprhub.normalise.OfflineRun;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.descriptor.DescriptorSchema;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.support.FreePorts;
import uk.anprhub.support.TestDatabase;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Issue 14, "done means": the newcomer, scripted. A new vendor — a VMS that sends fixed-layout frames
 * {@code STX YYYYMMDDHHMMSS CC PLATE ETX} over TCP — is added with files only, step by step as
 * docs/adding-a-vendor.md and docs/transports.md say, into a temporary copy of the catalogue, the demo registry and
 * routes/: template copied, connector.yaml, mapping, samples, demo cameras, the feed's route file (a templatedRoute)
 * and its config. Then the checks the guide names run over that copy (the connector loads and validates against its
 * schema, its samples give their expected results), and a hub started on that copy takes frames over a real socket
 * and acknowledges them after commit. When the guide and the framework drift apart, this fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        // step 7 of the guide: the feed's config (ANPR_CONFIG in production)
        "anpr.feeds.acme-vms.connector=acme-frame-tcp",
        "anpr.feeds.acme-vms.http=false",
        "anpr.tcp.feeds.acme-vms.framing=stx-etx",
        "anpr.tcp.feeds.acme-vms.ack=\\\\x06"})
@org.springframework.test.annotation.DirtiesContext // its catalogue copy is its own: no later test reuses this hub
class NewcomerIT {

    static final Path COPY;
    static final int PORT = FreePorts.next();
    private static final TestDatabase DB;

    static {
        try {
            COPY = Files.createTempDirectory("anpr-newcomer");
            for (String dir : new String[]{"connectors", "mappings", "routes"}) {
                FileSystemUtils.copyRecursively(Path.of(dir), COPY.resolve(dir));
            }
            FileSystemUtils.copyRecursively(Path.of("src/test/resources/cameras"), COPY.resolve("cameras"));
            addTheVendorWithFilesOnly(COPY);
            DB = TestDatabase.start();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void copy(DynamicPropertyRegistry r) {
        r.add("anpr.db.url", DB::jdbcUrl);
        r.add("anpr.data-dir", () -> COPY.resolve("data").toString());
        r.add("anpr.catalog.connectors", () -> COPY.resolve("connectors").toString());
        r.add("anpr.catalog.mappings", () -> COPY.resolve("mappings").toString());
        r.add("anpr.cameras.location", () -> COPY.resolve("cameras").toString());
        r.add("camel.main.routes-include-pattern", () -> "file:" + COPY.resolve("routes") + "/*.camel.yaml");
        r.add("anpr.tcp.feeds.acme-vms.port", () -> PORT);
    }

    /** The guide's steps 1-7, as a newcomer types them. */
    static void addTheVendorWithFilesOnly(Path root) throws IOException {
        Path connectors = root.resolve("connectors");
        // 1. pick an id: new
        assertThat(connectors.resolve("acme-frame-tcp")).doesNotExist();
        // 2. copy the template, drop its samples README, fill connector.yaml (text decoder) and README.md
        FileSystemUtils.copyRecursively(connectors.resolve("_template"), connectors.resolve("acme-frame-tcp"));
        Path dir = connectors.resolve("acme-frame-tcp");
        Files.delete(dir.resolve("samples/README.md"));
        String schemaLine = Files.readString(dir.resolve("connector.yaml")).lines().findFirst().orElseThrow();
        assertThat(schemaLine).startsWith("# yaml-language-server: $schema=");
        Files.writeString(dir.resolve("connector.yaml"), schemaLine + "\n" + """
                id: acme-frame-tcp
                vendor: acme
                title: ACME VMS fixed-layout plate frames over TCP
                description: >-
                  STX YYYYMMDDHHMMSS CC PLATE ETX frames; CC is the camera number on the VMS, the VMS is the sender.
                decoder: text
                options:
                  pattern: '\\s*(?<time>\\d{14})\\s*(?<camera>\\d{2})\\s*(?<plate>\\S(?:.*\\S)?)\\s*'
                mapping: acme-frame-tcp/acme-frame-tcp-v1.jslt
                identity: sender-address
                """);
        Files.writeString(dir.resolve("README.md"), """
                # acme-frame-tcp — ACME VMS fixed-layout frames

                | | |
                |---|---|
                | Vendor / products | acme, a VMS re-publishing its cameras' reads |
                | Transport | TCP, framing stx-etx, one read per frame |
                | Decoder / mapping | `text` → `mappings/acme-frame-tcp/acme-frame-tcp-v1.jslt` |
                | Camera identity | `$meta.remoteAddr` → `device.ip`, `CC` → `device.channel` (`identity: sender-address`) |
                | Time | local wall time → `DEVICE_LOCAL_ASSUMED_TZ` |
                | Read id | none: the core keys on camera + VRM + time |

                ## Quirks handled
                - none

                ## Left alone
                - nothing

                ## Samples
                | sample | source and changes |
                |---|---|
                | `001-read` | written by NewcomerIT (source: the issue's frame layout) |
                | `901-garbled` | not the layout → `undecodable` |

                Demo cameras: `src/test/resources/cameras/demo-acme.yaml` (`MPS-ACME-0003`).
                """);
        // 3. the mapping
        Files.createDirectories(root.resolve("mappings/acme-frame-tcp"));
        Files.writeString(root.resolve("mappings/acme-frame-tcp/acme-frame-tcp-v1.jslt"), """
                {
                  "vrm": .plate,
                  "time": .time,
                  "timeFormat": "yyyyMMddHHmmss",
                  "device": {"ip": $meta.remoteAddr, "channel": number(.camera, null)}
                }
                """);
        // 4. demo cameras, every identity as the VMS sends it (its address and the camera number)
        Files.writeString(root.resolve("cameras/demo-acme.yaml"), """
                # yaml-language-server: $schema=../../../../docs/schemas/camera-registry.schema.json
                cameras:
                  - cameraId: MPS-ACME-0003
                    sourceId: MPS-DEMO
                    feedId: MPS
                    vendor: acme
                    device: { ip: 127.0.0.1, channel: 3 }
                    timeZone: Europe/London
                """);
        // 5. samples: a positive one (its expected reads written after a first run, as -Dgolden.update does) and a negative one
        Path samples = dir.resolve("samples");
        Files.writeString(samples.resolve("001-read.txt"), "20241210143455 03 AB12CDE");
        Files.writeString(samples.resolve("001-read.meta.yaml"), "contentType: text/plain\nremoteAddr: 127.0.0.1\n");
        Files.writeString(samples.resolve("901-garbled.txt"), "PLATE AB12CDE AT NOON");
        Files.writeString(samples.resolve("901-garbled.meta.yaml"), "contentType: text/plain\nremoteAddr: 127.0.0.1\n");
        Files.writeString(samples.resolve("901-garbled.expected-error.txt"), "undecodable\n");
        // 6. the feed's route file: a templatedRoute of the TCP template (docs/transports.md, TCP, Adding a feed)
        Files.writeString(root.resolve("routes/tcp-acme-vms.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: anpr-tcp-feed
                    routeId: tcp-acme-vms
                    parameters:
                      - name: feed
                        value: acme-vms
                """);
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theGuideFollowedLiterallyGivesAWorkingVendorOverRealSockets() throws Exception {
        // the checks the guide names, over the copy: the connector loads and validates, its samples give their results
        Path dir = COPY.resolve("connectors/acme-frame-tcp");
        DescriptorSchema.CONNECTOR.check(dir.resolve("connector.yaml").toString(),
                new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                        .readTree(dir.resolve("connector.yaml").toFile()));
        ConnectorCatalog catalog = ConnectorCatalog.load(COPY.resolve("connectors"), COPY.resolve("mappings"));
        assertThat(catalog.broken()).as("connectors that do not load").isEmpty();
        Connector connector = catalog.find("acme-frame-tcp").orElseThrow();
        CameraRegistry cameras = new CameraRegistry(COPY.resolve("cameras"));
        cameras.reload();
        OfflineRun run = new OfflineRun(new Normaliser(cameras, ValidationPolicy.offline(null)), false);
        List<NasRead> reads = run.run(connector, dir.resolve("samples/001-read.txt"));
        assertThat(reads).singleElement().satisfies(r -> {
            assertThat(r.cameraId()).isEqualTo("MPS-ACME-0003");
            assertThat(r.vrm()).isEqualTo("AB12CDE");
            assertThat(r.captureTimeUtc()).hasToString("2024-12-10T14:34:55Z"); // December: London is UTC
        });
        RejectedException refused = catchThrowableOfType(RejectedException.class,
                () -> run.run(connector, dir.resolve("samples/901-garbled.txt")));
        assertThat(refused.reason()).isEqualTo("undecodable");

        // the live hub on the copy: a frame over a real socket, acknowledged after commit
        String local = LocalDateTime.now(ZoneId.of("Europe/London")).minusMinutes(2)
                .format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        String plate = "NC" + (10 + (int) (Math.random() * 89)) + "XYZ";
        try (Socket vms = new Socket(InetAddress.getLoopbackAddress(), PORT)) {
            vms.setSoTimeout(30_000);
            OutputStream out = vms.getOutputStream();
            out.write(("\u0002" + local + " 03 " + plate + "\u0003").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = vms.getInputStream();
            assertThat(in.read()).as("ACK after commit").isEqualTo(0x06);
        }
        assertThat(jdbc.queryForObject("select camera_id from nas_read where vrm = ?", String.class, plate))
                .isEqualTo("MPS-ACME-0003");
    }
}
