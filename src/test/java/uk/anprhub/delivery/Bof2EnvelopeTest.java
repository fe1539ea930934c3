package uk.anprhub.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.store.FileImageStore;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BOF2 envelope on the wire, byte for byte (issue 16 item 5: written with StAX instead of string concatenation,
 * the bytes kept): what a BOF2 endpoint receives for a read with every field, characters that need escaping, a
 * streamed picture and an absent one; and the NAS simulator's BOF2 endpoint takes it.
 */
class Bof2EnvelopeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final UUID ID = UUID.fromString("0b7f3c2e-5d1a-4c8e-9f00-3a2b1c0d9e8f");
    static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");
    static final String READ = """
            {"readId":"%s","vrm":"AB12<&>CDE","captureTimeUtc":"2026-01-02T03:04:05.678Z","feedId":"MPS & co",
             "sourceId":"MPS-DEMO","cameraId":"CAM \\"1\\" 'é'","latitude":51.5,"longitude":-0.125,
             "ptz":{"preset":"P<1>","pan":1.5,"tilt":-2,"zoom":3.25},"confidencePct":93,"direction":"TOWARDS",
             "plateImage":{"contentType":"image/jpeg","sha256":"abc","bytes":11},"overviewImage":{"sha256":"def","bytes":5}}
            """.formatted(ID);
    static final String EXPECTED = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:bof=\"urn:anpr-hub:bof2:inputcapturewebservice\">\n"
            + "<soapenv:Header/><soapenv:Body><bof:sendCapture>"
            + "<signature>sig&amp;&lt;nature&gt;</signature><user>anpr-hub</user><vrm>AB12&lt;&amp;&gt;CDE</vrm>"
            + "<orgId>MPS &amp; co</orgId><systemId>MPS-DEMO</systemId><cameraId>CAM \"1\" 'é'</cameraId>"
            + "<plateImage>cGxhdGUtYnl0ZXM=</plateImage><overviewImage/><dateTime>2026-01-02T03:04:05.678Z</dateTime>"
            + "<latitude>51.5</latitude><longitude>-0.125</longitude><cameraPreset>P&lt;1&gt;</cameraPreset>"
            + "<cameraPan>1.5</cameraPan><cameraTilt>-2</cameraTilt><cameraZoom>3.25</cameraZoom><confidence>93</confidence>"
            + "<towardCamera>true</towardCamera></bof:sendCapture></soapenv:Body></soapenv:Envelope>";

    @Test
    void theEnvelopeOnTheWireIsByteForByteTheOneBof2Expects(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<byte[]> bodies = new ArrayList<>();
        List<String> lengths = new ArrayList<>();
        server.createContext(NasSimulator.BOF2_PATH, x -> {
            bodies.add(x.getRequestBody().readAllBytes());
            lengths.add(x.getRequestHeaders().getFirst("Content-Length"));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
        try {
            WireAdapter a = adapter(dir, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + NasSimulator.BOF2_PATH));
            assertThat(a.send(List.of(new Claimed(ID, AT, 1, "CAM", READ)))).isInstanceOf(SendResult.PerRecord.class);
        } finally {
            server.stop(0);
        }
        assertThat(new String(bodies.get(0), StandardCharsets.UTF_8)).isEqualTo(EXPECTED);
        assertThat(bodies.get(0)).isEqualTo(EXPECTED.getBytes(StandardCharsets.UTF_8));
        assertThat(lengths.get(0)).isEqualTo(String.valueOf(bodies.get(0).length));
    }

    @Test
    void theSimulatorsBof2EndpointTakesTheEnvelope(@TempDir Path dir) throws Exception {
        try (NasSimulator sim = NasSimulator.start(0)) {
            SendResult r = adapter(dir, URI.create(sim.bof2Url())).send(List.of(new Claimed(ID, AT, 1, "CAM", READ)));
            assertThat(r).isInstanceOf(SendResult.PerRecord.class);
            assertThat(((SendResult.PerRecord) r).results()).singleElement()
                    .satisfies(x -> assertThat(x.status()).isEqualTo(SendResult.RecordStatus.DELIVERED));
            assertThat(sim.acceptedBof2Captures()).containsExactly("CAM \"1\" 'é'|AB12<&>CDE|2026-01-02T03:04:05.678Z");
        }
    }

    private static WireAdapter adapter(Path dir, URI url) {
        FileImageStore images = new FileImageStore(dir);
        images.put(AT.atOffset(ZoneOffset.UTC).toLocalDate(), ID, "plate", "plate-bytes".getBytes(StandardCharsets.UTF_8));
        DeliveryProperties.Target t = DeliveryProperties.bind(Map.of("anpr.delivery.targets.b.bof2.signature", "sig&<nature>"))
                .targets().get("b");
        return new Bof2SoapAdapter(HttpClients.create(t.http(), new DefaultSslBundleRegistry()), url, t.http(), t.bof2(), images, JSON);
    }
}
