package uk.anprhub.transport.tcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.support.TestReads;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each framing end to end: frames split across packets and several frames in one packet, written with flushes
 * and pauses; every read lands in PostgreSQL once, with transport {@code tcp} and the sender's address.
 */
class TcpFramingIT extends TcpHubIT {

    private static final Duration T = Duration.ofSeconds(10);

    private static List<String> plates(int n) {
        List<String> p = new ArrayList<>();
        for (int i = 0; i < n; i++) p.add(TestReads.plate());
        return p;
    }

    private static String read(String plate) {
        return TestReads.read(plate, Instant.now().minusSeconds(ThreadLocalRandom.current().nextInt(1, 600)), 1);
    }

    private void assertStoredOverTcp(String feed, List<String> plates) {
        for (String plate : plates) {
            String vrm = plate.replace(" ", "");
            Map<String, Object> row = jdbc.queryForMap("select n.feed, r.transport, r.remote_addr from nas_read n "
                    + "join raw_message r on r.id = n.raw_id where n.vrm = ?", vrm);
            assertThat(row).containsEntry("feed", feed).containsEntry("transport", "tcp")
                    .containsEntry("remote_addr", "127.0.0.1");
        }
    }

    @Test
    void lineDelimitedWithTheAckTemplate() throws Exception {
        List<String> p = plates(4);
        byte[] stream = utf8(read(p.get(0)) + "\n" + read(p.get(1)) + "\r\n" + read(p.get(2)) + "\n\n" + read(p.get(3)) + "\n");
        try (Camera cam = new Camera("nas-json")) {
            // piece 1 ends inside read 0; piece 2 holds its end, all of read 1 and the start of read 2; ...
            cam.send(stream, 40, stream.length / 2 + 7, stream.length - 3);
            for (int i = 0; i < 4; i++) {
                assertThat(cam.readLine(T)).isEqualTo("ACK 1 0\r");
            }
            cam.send(utf8(read(p.get(0)) .replace("\"vrm\"", "\"vrmX\"") + "\n")); // no vrm: quarantined, NAK
            assertThat(cam.readLine(T)).isEqualTo("NAK missing-vrm\r");
        }
        for (String plate : p) {
            assertThat(countReads(plate)).isEqualTo(1);
        }
        assertStoredOverTcp("nas-json", p);
    }

    @Test
    void lengthPrefixedFourBytesBigEndianWithoutAck() throws Exception {
        List<String> p = plates(3);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (String plate : p) {
            byte[] body = utf8(read(plate));
            stream.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
            stream.writeBytes(body);
        }
        byte[] bytes = stream.toByteArray();
        try (Camera cam = new Camera("nas-len")) {
            cam.send(bytes, 2, 30, bytes.length - 100, bytes.length - 1); // cut inside a header, bodies and the last byte
            for (String plate : p) {
                assertThat(awaitReads(plate, 1, T)).as(plate).isTrue();
            }
            assertThat(cam.silentFor(Duration.ofMillis(300))).as("no ack configured").isTrue();
        }
        assertStoredOverTcp("nas-len", p);
    }

    @Test
    void lengthPrefixedWithMagicNumberAndWholeFrameLengthLittleEndian() throws Exception {
        List<String> p = plates(3);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (String plate : p) {
            byte[] body = utf8(read(plate));
            stream.writeBytes(new byte[]{(byte) 0xCC, (byte) 0xFF});
            stream.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(6 + body.length).array());
            stream.writeBytes(body);
        }
        byte[] bytes = stream.toByteArray();
        try (Camera cam = new Camera("nas-magic")) {
            cam.send(bytes, 1, 4, bytes.length / 2);
            for (int i = 0; i < 3; i++) {
                assertThat(cam.readLine(T)).isEqualTo("OK");
            }
        }
        for (String plate : p) {
            assertThat(countReads(plate)).isEqualTo(1);
        }
        assertStoredOverTcp("nas-magic", p);
    }

    @Test
    void concatenatedJsonObjectsAndArrays() throws Exception {
        List<String> p = plates(4);
        // an object, an array of two (one message), then an object pretty-printed over several lines
        String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(read(p.get(3))));
        byte[] stream = utf8(read(p.get(0)) + "[" + read(p.get(1)) + "," + read(p.get(2)) + "]\r\n" + pretty);
        try (Camera cam = new Camera("nas-stream")) {
            cam.send(stream, 10, stream.length / 3, stream.length / 3 + 1, stream.length - 2);
            assertThat(cam.read(3, T)).containsExactly(6, 6, 6);
        }
        for (String plate : p) {
            assertThat(countReads(plate)).isEqualTo(1);
        }
        assertStoredOverTcp("nas-stream", p);
    }

    @Test
    void axisTcpPushEventsAsConcatenatedJson() throws Exception {
        // The VAPIX "Using TCP" package sample (a NEW event: acknowledged, nothing stored), then the LOST variant
        // with a fresh capture time (the sample's 2023 date is outside the retention window) and a fresh carID.
        byte[] newEvent = Files.readAllBytes(Path.of("connectors/axis-lpv-json/samples/003-new-event-ignored.json"));
        ObjectNode lost = (ObjectNode) JSON.readTree(Path.of("connectors/axis-lpv-json/samples/004-lost-event-base64-image.json").toFile());
        long captured = Instant.now().minusSeconds(30).toEpochMilli();
        String carId = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000));
        lost.put("capture_timestamp", Long.toString(captured)).put("carID", carId);
        byte[] lostEvent = JSON.writeValueAsBytes(lost);
        byte[] stream = concat(newEvent, lostEvent, utf8("\r\n"));
        int stored = countReads("TOLSL123");
        try (Camera cam = new Camera("axis-lpv-json")) {
            cam.send(stream, 100, newEvent.length + 5, stream.length - 10);
            assertThat(cam.read(2, T)).containsExactly(6, 6);
        }
        assertThat(countReads("TOLSL123")).isEqualTo(stored + 1);
        Map<String, Object> row = jdbc.queryForMap("select camera_id, captured_at, idempotency_key from nas_read "
                + "where idempotency_key = ?", "MPS-AXIS-0003:ACCC8E9BB16D-" + carId);
        assertThat(row.get("camera_id")).isEqualTo("MPS-AXIS-0003");
        assertThat(((java.sql.Timestamp) row.get("captured_at")).toInstant()).isEqualTo(Instant.ofEpochMilli(captured));
    }

    @Test
    void concatenatedXmlDocuments() throws Exception {
        String sample = Files.readString(Path.of("connectors/bof2-soap/samples/001-sendcapture-document-literal.xml"));
        List<String> p = plates(3);
        StringBuilder docs = new StringBuilder();
        for (String plate : p) {
            docs.append(sample.replace("LK19ABC", plate.replace(" ", ""))
                    .replace("2024-05-01T13:34:56.789+01:00", Instant.now().minusSeconds(60 + docs.length() % 50).toString()));
        }
        byte[] stream = utf8(docs.toString());
        try (Camera cam = new Camera("bof2-xml")) {
            cam.send(stream, 3, sample.length() + 1, stream.length - 20);
            for (int i = 0; i < 3; i++) {
                assertThat(cam.readLine(T)).isEqualTo("200");
            }
        }
        for (String plate : p) {
            assertThat(countReads(plate)).isEqualTo(1);
        }
        assertStoredOverTcp("bof2-xml", p);
    }
}
