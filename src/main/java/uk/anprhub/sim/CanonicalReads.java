package uk.anprhub.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The canonical nas-json feed: generated reads (random UK plates, current times) for cameras
 * {@code <prefix>0001..N}, one object per message or an array of {@code batch}. The bad message is a read two hours
 * in the future (quarantined as future-capture-time).
 */
final class CanonicalReads implements MessageSource {

    private final String cameraPrefix;
    private final int cameras;
    private final int batch;

    CanonicalReads(String cameraPrefix, int cameras, int batch) {
        this.cameraPrefix = cameraPrefix;
        this.cameras = cameras;
        this.batch = batch;
    }

    @Override
    public Message next(RandomGenerator r) {
        return message(r, Instant.now(), false);
    }

    @Override
    public Message bad(RandomGenerator r) {
        return message(r, Instant.now().plus(Duration.ofHours(2)), true);
    }

    @Override
    public double readsPerMessage() {
        return batch;
    }

    private Message message(RandomGenerator r, Instant around, boolean bad) {
        int n = bad ? 1 : batch;
        List<String> plates = new ArrayList<>(n);
        List<String> ids = new ArrayList<>(n);
        StringBuilder b = new StringBuilder(n * 200).append(n == 1 ? "" : "[");
        for (int i = 0; i < n; i++) {
            String plate = Plates.uk(r);
            String camera = cameraPrefix + String.format("%04d", 1 + r.nextInt(cameras));
            Instant t = around.minusMillis(r.nextInt(2_000)).truncatedTo(ChronoUnit.MILLIS);
            b.append(i == 0 ? "" : ",").append("{\"vrm\":\"").append(plate, 0, 4).append(' ').append(plate, 4, 7)
                    .append("\",\"captureTimeUtc\":\"").append(t).append("\",\"cameraId\":\"").append(camera)
                    .append("\",\"confidencePct\":").append(60 + r.nextInt(40)).append(",\"direction\":\"")
                    .append(r.nextBoolean() ? "TOWARDS" : "AWAY").append("\",\"countryCode\":\"GBR\"}");
            plates.add(plate);
            ids.add(camera);
        }
        b.append(n == 1 ? "" : "]");
        return new Message(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json",
                "sim-" + java.util.UUID.randomUUID() + ".json", Map.of(), bad ? 0 : n, bad, plates, ids);
    }
}
