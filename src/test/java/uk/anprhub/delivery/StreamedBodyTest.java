package uk.anprhub.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import uk.anprhub.store.FileImageStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streamed body: exact base64, exact length, the JSON and SOAP around the pictures as before, timeouts by size. */
class StreamedBodyTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void base64InChunksIsTheBase64OfTheWhole() throws IOException {
        Random r = new Random(7);
        for (int n : new int[]{0, 1, 2, 3, 4, 12_287, 12_288, 12_289, 1_000_001}) {
            byte[] data = new byte[n];
            r.nextBytes(data);
            byte[] streamed = new StreamedBody.Base64Stream(new ByteArrayInputStream(data)).readAllBytes();
            assertThat(new String(streamed, StandardCharsets.US_ASCII)).as("%d bytes", n)
                    .isEqualTo(Base64.getEncoder().encodeToString(data));
            assertThat((long) streamed.length).isEqualTo(StreamedBody.base64Length(n));
        }
    }

    @Test
    void theBodyIsTheTextAndPicturesInOrderWithTheAnnouncedLength() throws IOException {
        byte[] pic = "picture".getBytes();
        StreamedBody b = StreamedBody.builder().text("<a>").base64(() -> new ByteArrayInputStream(pic), pic.length)
                .text("</a>").build();
        byte[] all = b.open().readAllBytes();
        assertThat(new String(all)).isEqualTo("<a>" + Base64.getEncoder().encodeToString(pic) + "</a>");
        assertThat(b.length()).isEqualTo(all.length);
    }

    @Test
    void aPictureShorterThanAnnouncedFailsTheBodyInsteadOfTruncatingIt() {
        StreamedBody b = StreamedBody.builder().text("[").base64(() -> new ByteArrayInputStream(new byte[10]), 20).text("]").build();
        assertThatThrownBy(() -> b.open().readAllBytes()).isInstanceOf(IOException.class).hasMessageContaining("early");
    }

    @Test
    void theTimeoutGrowsWithTheBody() {
        DeliveryProperties.Http http = DeliveryProperties.bind(Map.of("anpr.delivery.targets.nas.http.request-timeout", "30s"))
                .targets().get("nas").http();
        assertThat(HttpClients.timeout(http, 0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpClients.timeout(http, 8L * 1024 * 1024)).isEqualTo(Duration.ofSeconds(30 + 16)); // 8 MB at 512 KB/s
        DeliveryProperties.Http flat = DeliveryProperties.bind(Map.of("anpr.delivery.targets.nas.http.min-bytes-per-second", "0"))
                .targets().get("nas").http();
        assertThat(HttpClients.timeout(flat, 8L * 1024 * 1024)).isEqualTo(Duration.ofSeconds(30));
        assertThat(DeliveryProperties.bind(Map.of()).targets().get("nas").maxBatchBytes().toMegabytes()).isEqualTo(8);
    }

    /** Through a real socket: Content-Length set, every field kept, the pictures' data exact, reads without pictures as stored. */
    @Test
    void theNasAdapterStreamsTheStoredJsonWithThePicturesInlined(@TempDir Path dir) throws Exception {
        FileImageStore images = new FileImageStore(dir);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        byte[] plate = new byte[100_000];
        new Random(1).nextBytes(plate);
        byte[] overview = new byte[5];
        UUID withPictures = UUID.randomUUID();
        UUID without = UUID.randomUUID();
        UUID pictureGone = UUID.randomUUID();
        images.put(at.atOffset(ZoneOffset.UTC).toLocalDate(), withPictures, "plate", plate);
        images.put(at.atOffset(ZoneOffset.UTC).toLocalDate(), withPictures, "overview", overview);
        List<Claimed> batch = List.of(
                new Claimed(withPictures, at, 1, "CAM", read(withPictures, true)),
                new Claimed(without, at, 1, "CAM", read(without, false)),
                new Claimed(pictureGone, at, 1, "CAM", read(pictureGone, true)));

        List<byte[]> bodies = new ArrayList<>();
        List<String> lengths = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/nas/v1/captures", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            bodies.add(body);
            lengths.add(x.getRequestHeaders().getFirst("Content-Length"));
            StringBuilder answer = new StringBuilder("[");
            for (JsonNode n : JSON.readTree(body)) {
                answer.append(answer.length() > 1 ? "," : "").append("{\"readId\":\"").append(n.path("readId").asText())
                        .append("\",\"status\":\"ACCEPTED\"}");
            }
            byte[] out = answer.append(']').toString().getBytes();
            x.sendResponseHeaders(200, out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.start();
        try {
            DeliveryProperties.Target t = DeliveryProperties.bind(Map.of("anpr.delivery.targets.nas.url",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/nas/v1")).targets().get("nas");
            WireAdapter adapter = WireAdapters.create("nas", t, images, JSON, "http://unused", new DefaultSslBundleRegistry());
            SendResult o = adapter.send(batch);
            assertThat(o).isInstanceOf(SendResult.PerRecord.class);
            assertThat(((SendResult.PerRecord) o).results()).allMatch(x -> x.status() == SendResult.RecordStatus.DELIVERED).hasSize(3);
        } finally {
            server.stop(0);
        }
        assertThat(lengths.get(0)).isEqualTo(String.valueOf(bodies.get(0).length));
        JsonNode sent = JSON.readTree(bodies.get(0));
        JsonNode first = sent.get(0);
        assertThat(first.path("vrm").asText()).isEqualTo("AB12CDE");
        assertThat(first.path("ptz").path("pan").asDouble()).isEqualTo(1.5);
        assertThat(first.path("plateImage").path("sha256").asText()).isEqualTo("abc");
        assertThat(first.path("plateImage").path("bytes").asLong()).isEqualTo(100_000);
        assertThat(first.path("plateImage").path("data").binaryValue()).isEqualTo(plate);
        assertThat(first.path("overviewImage").path("data").binaryValue()).isEqualTo(overview);
        assertThat(sent.get(1)).isEqualTo(JSON.readTree(read(without, false)));
        assertThat(sent.get(2).path("plateImage").has("data")).isFalse(); // gone from the store: the reference only
        assertThat(sent.get(2).path("plateImage").path("sha256").asText()).isEqualTo("abc");
    }

    @Test
    void theBof2EnvelopeCarriesThePictureStreamed(@TempDir Path dir) throws Exception {
        FileImageStore images = new FileImageStore(dir);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID id = UUID.randomUUID();
        byte[] plate = "plate-bytes".getBytes();
        images.put(at.atOffset(ZoneOffset.UTC).toLocalDate(), id, "plate", plate);
        DeliveryProperties.Target t = DeliveryProperties.bind(Map.of()).targets().get("nas");
        Bof2SoapAdapter a = new Bof2SoapAdapter(HttpClients.create(t.http(), new DefaultSslBundleRegistry()),
                java.net.URI.create("http://127.0.0.1:1/"), t.http(), t.bof2(), images, JSON);
        StreamedBody body = a.envelope(new Claimed(id, at, 1, "CAM", read(id, true)));
        String xml;
        try (InputStream in = body.open()) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(xml).contains("<vrm>AB12CDE</vrm>")
                .contains("<plateImage>" + Base64.getEncoder().encodeToString(plate) + "</plateImage>")
                .contains("<overviewImage/>").contains("<cameraPan>1.5</cameraPan>")
                .endsWith("</bof:sendCapture></soapenv:Body></soapenv:Envelope>");
        assertThat(body.length()).isEqualTo(xml.getBytes(StandardCharsets.UTF_8).length);
    }

    static String read(UUID id, boolean pictures) {
        return "{\"readId\":\"" + id + "\",\"vrm\":\"AB12CDE\",\"captureTimeUtc\":\"2026-01-01T00:00:00.000Z\",\"cameraId\":\"CAM\","
                + "\"ptz\":{\"pan\":1.5}" + (pictures
                ? ",\"plateImage\":{\"contentType\":\"image/jpeg\",\"sha256\":\"abc\",\"bytes\":100000},"
                + "\"overviewImage\":{\"sha256\":\"def\",\"bytes\":5}" : "") + ",\"confidencePct\":90}";
    }
}
