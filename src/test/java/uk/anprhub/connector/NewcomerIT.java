package uk.anprhub.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.descriptor.DescriptorSchema;
import uk.anprhub.model.CanonicalSchema;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.normalise.OfflineRun;
import uk.anprhub.support.FreePorts;
import uk.anprhub.support.TestDatabase;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, "done means": the newcomer, scripted. Three new vendors are added with files only, step by step as
 * docs/adding-a-vendor.md and docs/transports.md say, into a temporary copy of the catalogue, the demo registry and
 * routes/ — the three the newcomer tried:
 * <ul>
 * <li>{@code zenith-json-http}: a camera that POSTs one JSON object per read (HTTP feed declared under
 * {@code anpr.feeds});</li>
 * <li>{@code acme-xml-tcp}: a VMS that re-publishes reads over TCP as one XML document per read (framing {@code xml},
 * no delimiter between documents);</li>
 * <li>{@code acme-frame-tcp}: the same VMS's fixed-layout frames {@code STX YYYYMMDDHHMMSS CC PLATE ETX} (framing
 * {@code stx-etx}, the {@code text} decoder).</li>
 * </ul>
 * For each: template copied, connector.yaml, README, mapping, demo cameras, samples, expected files generated as the
 * guide's step 6 does and reviewed, then the catalogue's own checks over that copy (descriptor schema, conventions,
 * golden files), and a hub started on that copy takes reads over real sockets and acknowledges them after commit.
 * When the guide and the framework drift apart, this fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "anpr.retention.initial-delay=PT1H",
        // the feeds' config (ANPR_CONFIG in production): docs/transports.md, HTTP and TCP
        "anpr.feeds.zenith-cams.connector=zenith-json-http",
        "anpr.feeds.zenith-cams.allowlist=127.0.0.1",
        "anpr.feeds.acme-xml.connector=acme-xml-tcp",
        "anpr.feeds.acme-xml.http=false",
        "anpr.tcp.feeds.acme-xml.framing=xml",
        "anpr.tcp.feeds.acme-xml.ack=STORED {stored}\\\\n",
        "anpr.feeds.acme-vms.connector=acme-frame-tcp",
        "anpr.feeds.acme-vms.http=false",
        "anpr.tcp.feeds.acme-vms.framing=stx-etx",
        "anpr.tcp.feeds.acme-vms.ack=\\\\x06"})
@org.springframework.test.annotation.DirtiesContext // its catalogue copy is its own: no later test reuses this hub
class NewcomerIT {

    static final Path COPY;
    static final int FRAME_PORT = FreePorts.next();
    static final int XML_PORT = FreePorts.next();
    private static final TestDatabase DB;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static {
        try {
            COPY = Files.createTempDirectory("anpr-newcomer");
            for (String dir : new String[]{"connectors", "mappings", "routes"}) {
                FileSystemUtils.copyRecursively(Path.of(dir), COPY.resolve(dir));
            }
            FileSystemUtils.copyRecursively(Path.of("src/test/resources/cameras"), COPY.resolve("cameras"));
            addTheJsonVendor(COPY);
            addTheXmlVendor(COPY);
            addTheFrameVendor(COPY);
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
        r.add("anpr.tcp.feeds.acme-vms.port", () -> FRAME_PORT);
        r.add("anpr.tcp.feeds.acme-xml.port", () -> XML_PORT);
    }

    @AfterAll
    static void removeTheCopy() throws IOException {
        FileSystemUtils.deleteRecursively(COPY.resolve("connectors"));
        FileSystemUtils.deleteRecursively(COPY.resolve("mappings"));
    }

    /** Steps 1-2 of the guide: a new id, the template copied, its samples README dropped, connector.yaml and README. */
    static Path newConnector(Path root, String id, String descriptor, String readme) throws IOException {
        Path connectors = root.resolve("connectors");
        assertThat(connectors.resolve(id)).as("step 1: the id is new").doesNotExist();
        FileSystemUtils.copyRecursively(connectors.resolve("_template"), connectors.resolve(id));
        Path dir = connectors.resolve(id);
        Files.delete(dir.resolve("samples/README.md"));
        String schemaLine = Files.readString(dir.resolve("connector.yaml")).lines().findFirst().orElseThrow();
        assertThat(schemaLine).startsWith("# yaml-language-server: $schema=");
        Files.writeString(dir.resolve("connector.yaml"), schemaLine + "\n" + descriptor);
        Files.writeString(dir.resolve("README.md"), readme);
        return dir;
    }

    /** Step 3: the mapping, mappings/<id>/<id>-v1.jslt. */
    static void mapping(Path root, String id, String jslt) throws IOException {
        Files.createDirectories(root.resolve("mappings").resolve(id));
        Files.writeString(root.resolve("mappings").resolve(id).resolve(id + "-v1.jslt"), jslt);
    }

    /** An HTTP camera that POSTs one JSON object per read, identified by its serial in the payload. */
    static void addTheJsonVendor(Path root) throws IOException {
        Path dir = newConnector(root, "zenith-json-http", """
                id: zenith-json-http
                vendor: zenith
                title: Zenith LPR camera HTTP POST (JSON)
                description: >-
                  One JSON object per read POSTed by the camera; the camera is named by its serial ("sensor"), the time is
                  UTC with a Z, the score is 0-100.
                decoder: json
                mapping: zenith-json-http/zenith-json-http-v1.jslt
                """, """
                # zenith-json-http — Zenith LPR camera, HTTP POST (JSON)

                | | |
                |---|---|
                | Vendor / products | zenith LPR cameras |
                | Transport | HTTP POST, one read per request |
                | Decoder / mapping | `json` → `mappings/zenith-json-http/zenith-json-http-v1.jslt` |
                | Camera identity | `sensor` → `device.serial` |
                | Time | ISO 8601 UTC (`Z`) |
                | Read id | `eventId` → `vendorReadId` |

                ## Quirks handled
                - none

                ## Left alone
                - nothing

                ## Samples
                | sample | source and changes |
                |---|---|
                | `001-read` | written by NewcomerIT (the vendor's documented example) |
                | `901-no-plate` | 001 without `plate` → `missing-vrm` |

                Demo cameras: `src/test/resources/cameras/demo-zenith.yaml` (`MPS-ZEN-0001`).
                """);
        mapping(root, "zenith-json-http", """
                {
                  "vendorReadId": .eventId,
                  "vrm": .plate,
                  "time": .captured,
                  "timeFormat": "iso",
                  "device": {"serial": .sensor},
                  "confidence": .score,
                  "confidenceScale": 100
                }
                """);
        // step 4: demo cameras, the identity exactly as the camera sends it
        Files.writeString(root.resolve("cameras/demo-zenith.yaml"), """
                # yaml-language-server: $schema=../../../../docs/schemas/camera-registry.schema.json
                cameras:
                  - cameraId: MPS-ZEN-0001
                    sourceId: MPS-DEMO
                    feedId: MPS
                    vendor: zenith
                    device: { serial: ZEN-0042 }
                """);
        // steps 5 and 7: a positive and a negative sample
        Path samples = dir.resolve("samples");
        Files.writeString(samples.resolve("001-read.json"), """
                {"eventId": "e-1001", "sensor": "ZEN-0042", "plate": "AB12 CDE", "captured": "2024-12-10T14:34:55.120Z", "score": 91}
                """);
        Files.writeString(samples.resolve("901-no-plate.json"), """
                {"eventId": "e-1002", "sensor": "ZEN-0042", "captured": "2024-12-10T14:34:55.120Z", "score": 91}
                """);
        Files.writeString(samples.resolve("901-no-plate.expected-error.txt"), "missing-vrm\nno plate field\n");
    }

    /** A VMS that re-publishes reads over TCP as one XML document per read, the camera named in the document. */
    static void addTheXmlVendor(Path root) throws IOException {
        Path dir = newConnector(root, "acme-xml-tcp", """
                id: acme-xml-tcp
                vendor: acme
                title: ACME VMS plate reads as XML documents over TCP
                description: >-
                  One XML document per read, back to back on a TCP connection (framing xml: no delimiter between
                  documents); the camera is named in the document, the time is UTC with a Z.
                decoder: xml
                mapping: acme-xml-tcp/acme-xml-tcp-v1.jslt
                """, """
                # acme-xml-tcp — ACME VMS XML documents over TCP

                | | |
                |---|---|
                | Vendor / products | acme, a VMS re-publishing its cameras' reads |
                | Transport | TCP, framing xml, one read per document |
                | Decoder / mapping | `xml` → `mappings/acme-xml-tcp/acme-xml-tcp-v1.jslt` |
                | Camera identity | `Camera` → `device.name` |
                | Time | ISO 8601 UTC (`Z`) |
                | Read id | `ReadId` → `vendorReadId` |

                ## Quirks handled
                - every value is a string (XML)

                ## Left alone
                - nothing

                ## Samples
                | sample | source and changes |
                |---|---|
                | `001-read` | written by NewcomerIT (the VMS's documented example) |
                | `901-truncated` | 001 cut short → `undecodable` |
                | `902-other-camera` | 001 from a camera not registered → `unknown-camera` |

                Demo cameras: `src/test/resources/cameras/demo-acme-xml.yaml` (`MPS-ACME-0011`).
                """);
        mapping(root, "acme-xml-tcp", """
                {
                  "vendorReadId": .ReadId,
                  "vrm": .Plate,
                  "time": .Time,
                  "timeFormat": "iso",
                  "device": {"name": .Camera}
                }
                """);
        Files.writeString(root.resolve("cameras/demo-acme-xml.yaml"), """
                # yaml-language-server: $schema=../../../../docs/schemas/camera-registry.schema.json
                cameras:
                  - cameraId: MPS-ACME-0011
                    sourceId: MPS-DEMO
                    feedId: MPS
                    vendor: acme
                    device: { name: ACME Gate 2 }
                """);
        Path samples = dir.resolve("samples");
        Files.writeString(samples.resolve("001-read.xml"), xmlRead("r-77", "ACME Gate 2", "AB12CDE", "2024-12-10T14:34:55Z"));
        Files.writeString(samples.resolve("901-truncated.xml"),
                xmlRead("r-78", "ACME Gate 2", "AB12CDE", "2024-12-10T14:34:55Z").substring(0, 90));
        Files.writeString(samples.resolve("901-truncated.expected-error.txt"), "undecodable\ncut short\n");
        Files.writeString(samples.resolve("902-other-camera.xml"), xmlRead("r-79", "Nowhere 9", "AB12CDE", "2024-12-10T14:34:55Z"));
        Files.writeString(samples.resolve("902-other-camera.expected-error.txt"), "unknown-camera\nno such camera\n");
        // the feed's route file (docs/transports.md, TCP, Adding a feed)
        tcpRoute(root, "acme-xml");
    }

    static String xmlRead(String id, String camera, String plate, String time) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PlateRead xmlns=\"urn:acme:vms:1\">\n  <ReadId>" + id
                + "</ReadId>\n  <Camera>" + camera + "</Camera>\n  <Plate>" + plate + "</Plate>\n  <Time>" + time
                + "</Time>\n</PlateRead>\n";
    }

    /** The same VMS's fixed-layout frames STX YYYYMMDDHHMMSS CC PLATE ETX: the text decoder, camera = address + number. */
    static void addTheFrameVendor(Path root) throws IOException {
        Path dir = newConnector(root, "acme-frame-tcp", """
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
                """, """
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
        mapping(root, "acme-frame-tcp", """
                {
                  "vrm": .plate,
                  "time": .time,
                  "timeFormat": "yyyyMMddHHmmss",
                  "device": {"ip": $meta.remoteAddr, "channel": number(.camera, null)}
                }
                """);
        // every identity as the VMS sends it (its address and the camera number)
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
        Path samples = dir.resolve("samples");
        Files.writeString(samples.resolve("001-read.txt"), "20241210143455 03 AB12CDE");
        Files.writeString(samples.resolve("001-read.meta.yaml"), "contentType: text/plain\nremoteAddr: 127.0.0.1\n");
        Files.writeString(samples.resolve("901-garbled.txt"), "PLATE AB12CDE AT NOON");
        Files.writeString(samples.resolve("901-garbled.meta.yaml"), "contentType: text/plain\nremoteAddr: 127.0.0.1\n");
        Files.writeString(samples.resolve("901-garbled.expected-error.txt"), "undecodable\n");
        // the feed's route file: a templatedRoute of the TCP template (docs/transports.md, TCP, Adding a feed)
        tcpRoute(root, "acme-vms");
    }

    static void tcpRoute(Path root, String feed) throws IOException {
        Files.writeString(root.resolve("routes/tcp-" + feed + ".camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: anpr-tcp-feed
                    routeId: tcp-%s
                    parameters:
                      - name: feed
                        value: %s
                """.formatted(feed, feed));
    }

    /**
     * Steps 6-7 of the guide over the copy: a placeholder expected file per positive sample, the golden test in update
     * mode for this connector, then the checks ({@code ConnectorGoldenFilesTest}, {@code ConnectorConventionsTest}) as
     * {@code ./mvnw test -Dtest='ConnectorGoldenFilesTest,ConnectorConventionsTest'} runs them. Returns the reads
     * the first positive sample gives, for review.
     */
    static JsonNode catalogueChecks(String id) throws IOException {
        Path dir = COPY.resolve("connectors").resolve(id);
        DescriptorSchema.CONNECTOR.check(dir.resolve("connector.yaml").toString(), YAML.readTree(dir.resolve("connector.yaml").toFile()));
        ConnectorCatalog catalog = ConnectorCatalog.load(COPY.resolve("connectors"), COPY.resolve("mappings"));
        assertThat(catalog.broken()).as("connectors that do not load").isEmpty();
        CameraRegistry cameras = new CameraRegistry(COPY.resolve("cameras"));
        cameras.reload();
        OfflineRun run = new OfflineRun(new Normaliser(cameras, ValidationPolicy.offline(null)), false);
        List<Path> samples;
        try (Stream<Path> files = Files.list(dir.resolve("samples"))) {
            samples = files.filter(OfflineRun::isPayload).sorted().toList();
        }
        for (Path sample : samples) {
            String name = sample.getFileName().toString();
            if (name.matches("[0-8].*")) {
                Files.writeString(OfflineRun.sibling(sample, ".expected.json"), "[]\n"); // the guide's placeholder
                ConnectorGoldenFilesTest.check(catalog, run, id, sample, true);      // -Dgolden.update=<id>
            }
        }
        for (Path sample : samples) {
            ConnectorGoldenFilesTest.check(catalog, run, id, sample, false);
        }
        ConnectorConventionsTest.checkFolder(dir, COPY.resolve("mappings"));
        return CanonicalSchema.MAPPER.readTree(OfflineRun.sibling(samples.get(0), ".expected.json").toFile());
    }

    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int httpPort;

    @Test
    void anHttpJsonVendorAddedWithFilesOnlyTakesAPostOverRealHttp() throws Exception {
        JsonNode expected = catalogueChecks("zenith-json-http");
        assertThat(expected).singleElement().satisfies(r -> {
            assertThat(r.path("cameraId").asText()).isEqualTo("MPS-ZEN-0001");
            assertThat(r.path("vrm").asText()).isEqualTo("AB12CDE");
            assertThat(r.path("captureTimeUtc").asText()).isEqualTo("2024-12-10T14:34:55.120Z");
        });

        String plate = plate("NJ");
        String body = "{\"eventId\": \"e-" + System.nanoTime() + "\", \"sensor\": \"ZEN-0042\", \"plate\": \"" + plate
                + "\", \"captured\": \"" + Instant.now().minusSeconds(60) + "\", \"score\": 88}";
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/ingest/zenith-cams"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(CanonicalSchema.MAPPER.readTree(answer.body()).path("stored").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select camera_id from nas_read where vrm = ?", String.class, plate))
                .isEqualTo("MPS-ZEN-0001");
    }

    @Test
    void aTcpXmlStreamVendorAddedWithFilesOnlyTakesBackToBackDocumentsOverARealSocket() throws Exception {
        JsonNode expected = catalogueChecks("acme-xml-tcp");
        assertThat(expected).singleElement().satisfies(r -> {
            assertThat(r.path("cameraId").asText()).isEqualTo("MPS-ACME-0011");
            assertThat(r.path("vrm").asText()).isEqualTo("AB12CDE");
        });

        // two documents in one write, no delimiter between them: one read each, each acknowledged after its commit
        String first = plate("NX");
        String second = plate("NY");
        String now = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
        try (Socket vms = new Socket(InetAddress.getLoopbackAddress(), XML_PORT)) {
            vms.setSoTimeout(30_000);
            OutputStream out = vms.getOutputStream();
            out.write((xmlRead("x-" + System.nanoTime(), "ACME Gate 2", first, now)
                    + xmlRead("y-" + System.nanoTime(), "ACME Gate 2", second, now)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(vms.getInputStream(), StandardCharsets.ISO_8859_1));
            assertThat(in.readLine()).as("first document acknowledged after commit").isEqualTo("STORED 1");
            assertThat(in.readLine()).as("second document acknowledged after commit").isEqualTo("STORED 1");
        }
        for (String plate : List.of(first, second)) {
            assertThat(jdbc.queryForObject("select camera_id from nas_read where vrm = ?", String.class, plate))
                    .isEqualTo("MPS-ACME-0011");
        }
    }

    @Test
    void aTcpFixedLayoutFrameVendorAddedWithFilesOnlyTakesAFrameOverARealSocket() throws Exception {
        JsonNode expected = catalogueChecks("acme-frame-tcp");
        assertThat(expected).singleElement().satisfies(r -> {
            assertThat(r.path("cameraId").asText()).isEqualTo("MPS-ACME-0003");
            assertThat(r.path("vrm").asText()).isEqualTo("AB12CDE");
            assertThat(r.path("captureTimeUtc").asText()).isEqualTo("2024-12-10T14:34:55.000Z"); // December: London is UTC
        });

        String local = LocalDateTime.now(ZoneId.of("Europe/London")).minusMinutes(2)
                .format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        String plate = plate("NC");
        try (Socket vms = new Socket(InetAddress.getLoopbackAddress(), FRAME_PORT)) {
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

    /** A fresh plate: two letters, two digits, three letters. */
    private static String plate(String prefix) {
        return prefix + (10 + (int) (Math.random() * 89)) + "XYZ";
    }
}
