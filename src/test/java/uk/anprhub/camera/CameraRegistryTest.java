package uk.anprhub.camera;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.anprhub.model.NasRead.Direction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The camera registry: YAML files in a folder, per-vendor identity lookups, hot reload that never breaks ingest. */
class CameraRegistryTest {

    private static final String HIKVISION = """
            # Hikvision cameras
            cameras:
              - cameraId: HIK-1
                sourceId: SRC-A
                feedId: MPS
                vendor: Hikvision
                device:
                  serial: SAME-SERIAL
                  mac: "44:19:B6:00:00:01"
                  ip: 10.0.0.1
                  channel: 1
                site: { latitude: 51.5194, longitude: -0.2196 }
                timeZone: Europe/London
                directions: { Forward: TOWARDS, reverse: away, "1": UNKNOWN }
              - cameraId: HIK-2
                sourceId: SRC-A
                feedId: MPS
                vendor: hikvision
                device:
                  mac: AA-BB-CC-DD-EE-FF
                  ip: 10.0.0.1
                  channel: 2
              - cameraId: HIK-3
                sourceId: SRC-B
                feedId: MPS
                vendor: hikvision
                device: { ip: 10.0.0.3 }
              - cameraId: HIK-FTP
                sourceId: SRC-B
                feedId: MPS
                vendor: hikvision
                device: { ftpFolder: cam-hik-ftp, name: "A40 Westway EB" }
            """;

    private static final String OTHERS = """
            cameras:
              - cameraId: AXIS-1
                sourceId: SRC-C
                feedId: TVP
                vendor: axis
                device: { serial: SAME-SERIAL }
              - cameraId: FRIGATE-1
                sourceId: SRC-C
                feedId: TVP
                vendor: frigate
                device: { mqttName: front_gate, name: Front gate }
            """;

    @TempDir
    Path dir;

    private CameraRegistry registry;

    @BeforeEach
    void load() throws IOException {
        write("hikvision.yaml", HIKVISION);
        write("others.yml", OTHERS);
        write("README.md", "not a registry file: ignored");
        write("notes.txt", "cameras: [[[ ignored too");
        registry = new CameraRegistry(dir);
        assertThat(registry.reload()).isEqualTo(6);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** Saves a file and moves its modification time on, as an editor would (the test is faster than the clock). */
    private void edit(String name, String content) throws IOException {
        Path file = write(name, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10 + (long) (Math.random() * 1000))));
    }

    /** The identities a read's device carries (in the order of a vendor read's device); the vendor comes with the lookup. */
    private record ReadIds(String cameraId, String serial, String mac, String ip, String channel, String name,
                           String ftpFolder, String mqttName) {
        CameraIdentity of(String vendor) {
            return new CameraIdentity(vendor, cameraId, serial, mac, ip, channel, ftpFolder, mqttName, name);
        }
    }

    private static ReadIds device(String cameraId, String serial, String mac, String ip, String channel,
                                  String name, String ftpFolder, String mqttName) {
        return new ReadIds(cameraId, serial, mac, ip, channel, name, ftpFolder, mqttName);
    }

    private Optional<String> find(String vendor, ReadIds device) {
        return registry.find(device.of(vendor)).map(Camera::cameraId);
    }

    @Test
    void loadsEveryYamlFileOfTheFolder() {
        assertThat(registry.size()).isEqualTo(6);
        assertThat(registry.location()).isEqualTo(dir);
        assertThat(registry.cameras()).extracting(Camera::cameraId)
                .containsExactlyInAnyOrder("HIK-1", "HIK-2", "HIK-3", "HIK-FTP", "AXIS-1", "FRIGATE-1");
    }

    @Test
    void readsEveryFieldOfACamera() {
        Camera c = registry.find(device("HIK-1", null, null, null, null, null, null, null).of("hikvision")).orElseThrow();
        assertThat(c.sourceId()).isEqualTo("SRC-A");
        assertThat(c.feedId()).isEqualTo("MPS");
        assertThat(c.vendor()).isEqualTo("hikvision"); // lower-cased
        assertThat(c.device()).isEqualTo(new Camera.Device("SAME-SERIAL", "44:19:b6:00:00:01", "10.0.0.1", "1", null, null, null));
        assertThat(c.latitude()).isEqualTo(51.5194);
        assertThat(c.longitude()).isEqualTo(-0.2196);
        assertThat(c.timeZone()).isEqualTo(ZoneId.of("Europe/London"));

        Camera bare = registry.find(device("HIK-3", null, null, null, null, null, null, null).of("hikvision")).orElseThrow();
        assertThat(bare.timeZone()).isNull();
        assertThat(bare.latitude()).isNull();
        assertThat(bare.directions()).isEmpty();
    }

    @Test
    void directionsMapHasLowerCaseWordsAndCanonicalDirections() {
        Camera c = registry.find(device("HIK-1", null, null, null, null, null, null, null).of("hikvision")).orElseThrow();
        assertThat(c.directions()).isEqualTo(Map.of("forward", Direction.TOWARDS, "reverse", Direction.AWAY, "1", Direction.UNKNOWN));
    }

    static Stream<Arguments> identities() {
        return Stream.of(
                Arguments.of("serial", device(null, "SAME-SERIAL", null, null, null, null, null, null), "hikvision", "HIK-1"),
                Arguments.of("mac", device(null, null, "44:19:b6:00:00:01", null, null, null, null, null), "hikvision", "HIK-1"),
                Arguments.of("ip+channel 1", device(null, null, null, "10.0.0.1", "1", null, null, null), "hikvision", "HIK-1"),
                Arguments.of("ip+channel 2", device(null, null, null, "10.0.0.1", "2", null, null, null), "hikvision", "HIK-2"),
                Arguments.of("ip alone", device(null, null, null, "10.0.0.3", null, null, null, null), "hikvision", "HIK-3"),
                Arguments.of("ip with an unknown channel", device(null, null, null, "10.0.0.3", "7", null, null, null), "hikvision", "HIK-3"),
                Arguments.of("ftpFolder", device(null, null, null, null, null, null, "cam-hik-ftp", null), "hikvision", "HIK-FTP"),
                Arguments.of("name", device(null, null, null, null, null, "A40 Westway EB", null, null), "hikvision", "HIK-FTP"),
                Arguments.of("mqttName", device(null, null, null, null, null, null, null, "front_gate"), "frigate", "FRIGATE-1"),
                Arguments.of("vendor in another case", device(null, "SAME-SERIAL", null, null, null, null, null, null), "HIKVISION", "HIK-1"),
                Arguments.of("serial before name", device(null, "SAME-SERIAL", null, null, null, "A40 Westway EB", null, null), "hikvision", "HIK-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identities")
    void findsByEachIdentity(String what, ReadIds device, String vendor, String cameraId) {
        assertThat(find(vendor, device)).contains(cameraId);
    }

    /**
     * One VMS server (10.1.0.1) re-publishing two cameras, and a camera registered by its IP alone: the identities
     * of one camera, and every way a read's identities can point at a sibling.
     */
    private static final String VMS = """
            cameras:
              - cameraId: VMS-1
                sourceId: S
                feedId: F
                vendor: vms
                device: { serial: VS-1, mac: "00:00:5e:00:53:01", ip: 10.1.0.1, channel: 1, ftpFolder: gate-in,
                          mqttName: gate_in, name: Gate In }
              - cameraId: VMS-2
                sourceId: S
                feedId: F
                vendor: vms
                device: { serial: VS-2, mac: "00:00:5e:00:53:02", ip: 10.1.0.1, channel: 2, ftpFolder: gate-out,
                          mqttName: gate_out, name: Gate Out }
              - cameraId: VMS-3
                sourceId: S
                feedId: F
                vendor: vms
                device: { ip: 10.1.0.3 }
            """;

    static Stream<Arguments> identityRule() {
        String mac1 = "00:00:5e:00:53:01", mac2 = "00:00:5e:00:53:02";
        return Stream.of(
                // cameraId: the camera named, if nothing else the read carries contradicts it
                Arguments.of("cameraId", device("VMS-1", null, null, null, null, null, null, null), "VMS-1"),
                Arguments.of("cameraId with its own serial", device("VMS-1", "VS-1", null, null, null, null, null, null), "VMS-1"),
                Arguments.of("cameraId with a sibling's serial", device("VMS-1", "VS-2", null, null, null, null, null, null), null),
                Arguments.of("cameraId with a sibling's channel", device("VMS-1", null, null, "10.1.0.1", "2", null, null, null), null),
                Arguments.of("cameraId of an ip-only camera with any channel", device("VMS-3", null, null, null, "5", null, null, null), "VMS-3"),
                // serial
                Arguments.of("serial", device(null, "VS-1", null, null, null, null, null, null), "VMS-1"),
                Arguments.of("serial with its own everything", device(null, "VS-1", mac1, "10.1.0.1", "01", "Gate In", "gate-in", "gate_in"), "VMS-1"),
                Arguments.of("unknown serial with a registered mac", device(null, "VS-9", mac1, null, null, null, null, null), null),
                Arguments.of("serial with a sibling's mac", device(null, "VS-1", mac2, null, null, null, null, null), null),
                Arguments.of("serial with a sibling's channel", device(null, "VS-1", null, "10.1.0.1", "2", null, null, null), null),
                Arguments.of("serial with a sibling's name", device(null, "VS-1", null, null, null, "Gate Out", null, null), null),
                // mac
                Arguments.of("mac", device(null, null, mac1.toUpperCase().replace(':', '-'), null, null, null, null, null), "VMS-1"),
                Arguments.of("unknown mac with a registered ip and channel", device(null, null, "00:00:5e:00:53:99", "10.1.0.1", "1", null, null, null), null),
                Arguments.of("mac with a sibling's channel", device(null, null, mac1, "10.1.0.1", "2", null, null, null), null),
                Arguments.of("mac with a sibling's ftpFolder", device(null, null, mac1, null, null, null, "gate-out", null), null),
                // ip + channel (server + camera number)
                Arguments.of("ip+channel 1", device(null, null, null, "10.1.0.1", "1", null, null, null), "VMS-1"),
                Arguments.of("ip+channel 02", device(null, null, null, "10.1.0.1", "02", null, null, null), "VMS-2"),
                Arguments.of("ip+channel the server does not have", device(null, null, null, "10.1.0.1", "3", null, null, null), null),
                Arguments.of("ip of a server without a channel", device(null, null, null, "10.1.0.1", null, null, null, null), null),
                Arguments.of("ip+channel with a sibling's name", device(null, null, null, "10.1.0.1", "1", "Gate Out", null, null), null),
                Arguments.of("ip+channel with its own name", device(null, null, null, "10.1.0.1", "1", "Gate In", null, null), "VMS-1"),
                Arguments.of("unknown ip with a registered name", device(null, null, null, "10.1.0.9", "1", "Gate In", null, null), null),
                Arguments.of("ip-only camera with any channel", device(null, null, null, "10.1.0.3", "7", null, null, null), "VMS-3"),
                // ftpFolder
                Arguments.of("ftpFolder", device(null, null, null, null, null, null, "gate-in", null), "VMS-1"),
                Arguments.of("unknown ftpFolder with a registered name", device(null, null, null, null, null, "Gate In", "gate-x", null), null),
                Arguments.of("ftpFolder with a sibling's name", device(null, null, null, null, null, "Gate Out", "gate-in", null), null),
                Arguments.of("ftpFolder with a sibling's mqttName", device(null, null, null, null, null, null, "gate-in", "gate_out"), null),
                // mqttName
                Arguments.of("mqttName", device(null, null, null, null, null, null, null, "gate_out"), "VMS-2"),
                Arguments.of("unknown mqttName with a registered name", device(null, null, null, null, null, "Gate Out", null, "gate_x"), null),
                Arguments.of("mqttName with a sibling's name", device(null, null, null, null, null, "Gate In", null, "gate_out"), null),
                // name (channel name)
                Arguments.of("name", device(null, null, null, null, null, "Gate Out", null, null), "VMS-2"),
                Arguments.of("unknown name", device(null, null, null, null, null, "Gate Sideways", null, null), null),
                Arguments.of("name with a sibling's channel", device(null, null, null, null, "1", "Gate Out", null, null), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identityRule")
    void theStrongestIdentityDecidesAndNoneMayDisagree(String what, ReadIds device, String cameraId) throws IOException {
        CameraRegistry vms = new CameraRegistry(write("vms.yaml", VMS));
        vms.reload();

        CameraRegistry.Lookup lookup = vms.lookup(device.of("vms"));

        if (cameraId == null) {
            assertThat(lookup.camera()).as(what).isNull();
            assertThat(lookup.problem()).as(what).isNotBlank();
        } else {
            assertThat(lookup.camera()).as(what).isNotNull().extracting(Camera::cameraId).isEqualTo(cameraId);
        }
    }

    @Test
    void aFailedLookupSaysWhichIdentityAndWhy() throws IOException {
        CameraRegistry vms = new CameraRegistry(write("vms.yaml", VMS));
        vms.reload();
        assertThat(vms.lookup(device(null, null, null, "10.1.0.1", "3", null, null, null).of("vms")).problem())
                .contains("ip 10.1.0.1 names VMS-1 (and 1 more)").contains("channel 3");
        assertThat(vms.lookup(device(null, "VS-9", "00:00:5e:00:53:01", null, null, null, null, null).of("vms")).problem())
                .contains("serial VS-9 names no vms camera").contains("weaker identity");
        assertThat(vms.lookup(device(null, null, null, "10.1.0.1", null, null, null, null).of("vms")).problem())
                .contains("2 cameras (VMS-1, VMS-2)");
        assertThat(vms.lookup(device(null, "VS-1", null, null, null, "Gate Out", null, null).of("vms")).problem())
                .contains("VMS-1").contains("name Gate Out");
    }

    @Test
    void identitiesAreScopedByVendor() {
        ReadIds sameSerial = device(null, "SAME-SERIAL", null, null, null, null, null, null);
        assertThat(find("hikvision", sameSerial)).contains("HIK-1");
        assertThat(find("axis", sameSerial)).contains("AXIS-1");
        assertThat(find("dahua", sameSerial)).isEmpty();
        // a Frigate name is not a Hikvision name
        assertThat(find("hikvision", device(null, null, null, null, null, null, null, "front_gate"))).isEmpty();
    }

    @Test
    void aCameraIdIsFoundWhateverTheVendor() {
        ReadIds byId = device("HIK-1", null, null, null, null, null, null, null);
        assertThat(find("hikvision", byId)).contains("HIK-1");
        assertThat(find("nas", byId)).contains("HIK-1");
        assertThat(find("axis", byId)).contains("HIK-1");
        assertThat(find("nas", device("NOPE-1", null, null, null, null, null, null, null))).isEmpty();
    }

    @Test
    void nothingToMatchIsNotFound() {
        assertThat(registry.find(null)).isEmpty();
        assertThat(find("hikvision", device(null, null, null, null, null, null, null, null))).isEmpty();
        assertThat(find("hikvision", device(null, "NOPE", null, "10.9.9.9", null, "nobody", null, null))).isEmpty();
    }

    @Test
    void macAddressesMatchInAnyCaseWithColonsOrDashes() {
        for (String mac : List.of("44:19:b6:00:00:01", "44:19:B6:00:00:01", "44-19-B6-00-00-01", "44-19-b6-00-00-01")) {
            assertThat(find("hikvision", device(null, null, mac, null, null, null, null, null))).as(mac).contains("HIK-1");
        }
        // configured with dashes in upper case
        for (String mac : List.of("aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF", "Aa:Bb:Cc:Dd:Ee:Ff")) {
            assertThat(find("hikvision", device(null, null, mac, null, null, null, null, null))).as(mac).contains("HIK-2");
        }
        assertThat(registry.find(device("HIK-2", null, null, null, null, null, null, null).of("hikvision")).orElseThrow()
                .device().mac()).isEqualTo("aa:bb:cc:dd:ee:ff");
    }

    @Test
    void reloadIfChangedPicksUpAnEditedFile() throws IOException {
        registry.reloadIfChanged(); // nothing changed: same registry
        assertThat(registry.size()).isEqualTo(6);

        edit("others.yml", OTHERS.replace("SAME-SERIAL", "NEW-SERIAL") + """
                  - cameraId: AXIS-2
                    sourceId: SRC-C
                    feedId: TVP
                    vendor: axis
                    device: { serial: SECOND }
                """);
        registry.reloadIfChanged();

        assertThat(registry.size()).isEqualTo(7);
        assertThat(find("axis", device(null, "NEW-SERIAL", null, null, null, null, null, null))).contains("AXIS-1");
        assertThat(find("axis", device(null, "SAME-SERIAL", null, null, null, null, null, null))).isEmpty();
        assertThat(find("axis", device(null, "SECOND", null, null, null, null, null, null))).contains("AXIS-2");
    }

    @Test
    void reloadIfChangedPicksUpAddedAndRemovedFiles() throws IOException {
        edit("more.yaml", """
                cameras:
                  - { cameraId: DAHUA-1, sourceId: S, feedId: F, vendor: dahua, device: { serial: D1 } }
                """);
        registry.reloadIfChanged();
        assertThat(find("dahua", device(null, "D1", null, null, null, null, null, null))).contains("DAHUA-1");

        Files.delete(dir.resolve("others.yml"));
        registry.reloadIfChanged();
        assertThat(registry.cameras()).extracting(Camera::cameraId)
                .containsExactlyInAnyOrder("HIK-1", "HIK-2", "HIK-3", "HIK-FTP", "DAHUA-1");
    }

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                Arguments.of("bad YAML", "cameras:\n  - cameraId: BAD-1\n    device: { serial: [unclosed\n", null),
                Arguments.of("not a cameras list", "camera:\n  cameraId: BAD-1\n", "cameras"),
                Arguments.of("missing cameraId", """
                        cameras:
                          - sourceId: S
                            feedId: F
                            vendor: axis
                        """, "cameraId"),
                Arguments.of("missing vendor", """
                        cameras:
                          - { cameraId: BAD-1, sourceId: S, feedId: F }
                        """, "vendor"),
                Arguments.of("unknown timeZone", """
                        cameras:
                          - { cameraId: BAD-1, sourceId: S, feedId: F, vendor: axis, timeZone: Europe/Atlantis }
                        """, "Europe/Atlantis"),
                Arguments.of("unknown direction", """
                        cameras:
                          - { cameraId: BAD-1, sourceId: S, feedId: F, vendor: axis, directions: { forward: SIDEWAYS } }
                        """, "SIDEWAYS"),
                Arguments.of("timeFormats pattern with an unknown letter", """
                        cameras:
                          - { cameraId: BAD-1, sourceId: S, feedId: F, vendor: genetec,
                              timeFormats: { genetec-sharp-json: "dd/MM/yyyy HH:mm:ss bb" } }
                        """, "timeFormats.genetec-sharp-json 'dd/MM/yyyy HH:mm:ss bb' is not a java.time pattern"),
                Arguments.of("timeFormats pattern without a time", """
                        cameras:
                          - { cameraId: BAD-1, sourceId: S, feedId: F, vendor: genetec, timeFormats: { genetec-sharp-json: "dd/MM/yyyy" } }
                        """, "needs a year, month, day, hour and minute"),
                Arguments.of("timeFormats 12-hour clock without am/pm", """
                        cameras:
                          - { cameraId: BAD-1, sourceId: S, feedId: F, vendor: genetec, timeFormats: { genetec-sharp-json: "dd/MM/yyyy hh:mm:ss" } }
                        """, "BAD-1"),
                Arguments.of("timeFormats keyed by something else than a connector id", """
                        cameras:
                          - { cameraId: BAD-1, sourceId: S, feedId: F, vendor: genetec, timeFormats: { Genetec: "d/M/yyyy H:mm:ss" } }
                        """, "'Genetec' is not a connector id"),
                Arguments.of("timeFormats not a map", """
                        cameras:
                          - { cameraId: BAD-1, sourceId: S, feedId: F, vendor: genetec, timeFormats: "d/M/yyyy H:mm:ss" }
                        """, "timeFormats must be a map"),
                Arguments.of("duplicate cameraId in the file", """
                        cameras:
                          - { cameraId: BAD-1, sourceId: S, feedId: F, vendor: axis }
                          - { cameraId: BAD-1, sourceId: S, feedId: F, vendor: axis }
                        """, "BAD-1"),
                Arguments.of("duplicate cameraId of another file", """
                        cameras:
                          - { cameraId: HIK-1, sourceId: S, feedId: F, vendor: axis }
                        """, "HIK-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void aBrokenFileKeepsThePreviousRegistry(String what, String content, String mentioned) throws IOException {
        List<Camera> before = registry.cameras();
        edit("zz-broken.yaml", content);

        Throwable e = catchThrowable(registry::reload);

        assertThat(e).as(what).isInstanceOf(IOException.class).hasMessageContaining("zz-broken.yaml");
        if (mentioned != null) {
            assertThat(e).hasMessageContaining(mentioned);
        }
        assertThat(registry.cameras()).isEqualTo(before);
        assertThat(find("axis", device(null, "SAME-SERIAL", null, null, null, null, null, null))).contains("AXIS-1");

        registry.reloadIfChanged(); // logs, keeps the previous registry, never throws
        assertThat(registry.cameras()).isEqualTo(before);

        edit("zz-broken.yaml", "cameras:\n  - { cameraId: FIXED-1, sourceId: S, feedId: F, vendor: axis, device: { serial: FIX } }\n");
        registry.reloadIfChanged(); // once fixed, the next check loads it
        assertThat(find("axis", device(null, "FIX", null, null, null, null, null, null))).contains("FIXED-1");
    }

    @Test
    void timeFormatsArePerConnector() throws IOException {
        edit("genetec.yaml", """
                cameras:
                  - cameraId: GEN-DMY
                    sourceId: S
                    feedId: F
                    vendor: genetec
                    device: { name: SHARP-DMY }
                    timeZone: Europe/London
                    timeFormats:
                      genetec-sharp-json: "d/M/yyyy H:mm:ss"
                      genetec-sharpv-ftp: "dd/MM/yyyy HH:mm:ss.SSSXXX"
                """);
        registry.reload();
        Camera c = registry.find(device(null, null, null, null, null, "SHARP-DMY", null, null).of("genetec")).orElseThrow();
        assertThat(c.timeFormats()).isEqualTo(Map.of("genetec-sharp-json", "d/M/yyyy H:mm:ss",
                "genetec-sharpv-ftp", "dd/MM/yyyy HH:mm:ss.SSSXXX"));
        assertThat(registry.find(device("HIK-1", null, null, null, null, null, null, null).of("hikvision")).orElseThrow()
                .timeFormats()).isEmpty();
    }

    @Test
    void aMissingFolderIsAnError() {
        CameraRegistry missing = new CameraRegistry(dir.resolve("nope"));
        assertThatThrownBy(missing::reload).isInstanceOf(IOException.class).hasMessageContaining("nope");
        missing.reloadIfChanged();
        assertThat(missing.size()).isZero();
    }

    @Test
    void theLocationMayBeASingleFile() throws IOException {
        CameraRegistry single = new CameraRegistry(dir.resolve("others.yml"));
        assertThat(single.reload()).isEqualTo(2);
        assertThat(single.find(device(null, null, null, null, null, "Front gate", null, null).of("frigate"))).isPresent();
    }

    @Test
    void anEmptyFolderIsAnEmptyRegistry(@TempDir Path empty) throws IOException {
        CameraRegistry none = new CameraRegistry(empty);
        assertThat(none.reload()).isZero();
        assertThat(none.find(device(null, "SAME-SERIAL", null, null, null, null, null, null).of("axis"))).isEmpty();
    }

    @Test
    void aRegistryInCodeRefusesDuplicates() {
        Camera a = new Camera("C-1", "S", "F", "axis", null, null, null, null, null);
        assertThat(CameraRegistry.of(List.of(a)).find(device("C-1", null, null, null, null, null, null, null).of("nas"))).contains(a);
        assertThatThrownBy(() -> CameraRegistry.of(List.of(a, a))).hasMessageContaining("C-1");
    }
}
