package uk.anprhub.bench;

import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser.Normalised;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Batches of normalised canonical reads with the raw nas-json message they came in, as the Normaliser makes them,
 * unique per (batch number, run tag): what the store benchmarks submit to the {@code ReadWriter}.
 */
public final class BenchReads {

    /** One message's reads and the message itself. */
    public record Batch(RawMessage message, List<Normalised> reads) {
    }

    /** Batch {@code n} of {@code size} reads from ten cameras, captured in the last minute. */
    public static Batch batch(long n, String run, int size) {
        Instant now = Instant.now();
        List<Normalised> reads = new ArrayList<>(size);
        StringBuilder payload = new StringBuilder(size * 170).append('[');
        for (int i = 0; i < size; i++) {
            Instant captured = now.minusMillis(1 + (i * 37L) % 60_000).truncatedTo(ChronoUnit.MILLIS);
            String asRead = plate(n * size + i);
            String vrm = asRead.replace(" ", "");
            String camera = "MPS-DEMO-" + String.format("%04d", 1 + i % 10);
            // the key is what the Normaliser makes (camera:VRM:ms), made unique per batch by the plate and a run tag
            String key = camera + ":" + vrm + ":" + captured.toEpochMilli() + ":" + run;
            reads.add(new Normalised(new NasRead(null, key, vrm, asRead, captured, captured.toString(),
                    NasRead.TimeSource.DEVICE_UTC, now, "MPS", "MPS-DEMO", camera,
                    new NasRead.DeviceRef("nas", null, null, null, null, null, null, null, null), 1,
                    i % 2 == 0 ? NasRead.Direction.TOWARDS : NasRead.Direction.AWAY, i % 2 == 0 ? "TOWARDS" : "AWAY",
                    null, 60 + i % 40, "GBR", 51.5194, -0.2196, null, null, null, null, null,
                    new NasRead.Ingest("nas-json", "nas-json", "http", "127.0.0.1"), null), null, null));
            payload.append(i == 0 ? "" : ",").append("{\"vrm\":\"").append(asRead).append("\",\"captureTimeUtc\":\"")
                    .append(captured).append("\",\"cameraId\":\"").append(camera)
                    .append("\",\"confidencePct\":").append(60 + i % 40).append(",\"direction\":\"")
                    .append(i % 2 == 0 ? "TOWARDS" : "AWAY").append("\",\"countryCode\":\"GBR\"}");
        }
        RawMessage message = new RawMessage(payload.append(']').toString().getBytes(StandardCharsets.UTF_8), "nas-json",
                "nas-json", "http", "application/json", Map.of(), "127.0.0.1", null, null, now);
        return new Batch(message, reads);
    }

    /** A UK-style plate unique to {@code v} (up to 26 × 26 × 10^6). */
    static String plate(long v) {
        StringBuilder b = new StringBuilder(8);
        b.append((char) ('A' + (v / 17_576_000) % 26)).append((char) ('A' + (v / 676_000) % 26))
                .append((char) ('0' + (v / 100_000) % 10)).append((char) ('0' + (v / 10_000) % 10)).append(' ')
                .append((char) ('A' + (v / 1_000) % 10)).append((char) ('A' + (v / 100) % 10))
                .append((char) ('A' + (v / 10) % 10)).append((char) ('0' + v % 10));
        return b.toString();
    }

    private BenchReads() {
    }
}
