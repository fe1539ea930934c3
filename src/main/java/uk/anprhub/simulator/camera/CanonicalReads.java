package uk.anprhub.simulator.camera;

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
 * in the future (quarantined as future-capture-time). {@link CameraFaults}: silenced cameras get no reads once their
 * time is up, drifting ones send capture times off by their offset.
 */
final class CanonicalReads implements MessageSource {

    private final String cameraPrefix;
    private final int cameras;
    private final int batch;
    private final CameraFaults faults;
    private final long startNanos = System.nanoTime();

    CanonicalReads(String cameraPrefix, int cameras, int batch) {
        this(cameraPrefix, cameras, batch, CameraFaults.NONE);
    }

    CanonicalReads(String cameraPrefix, int cameras, int batch, CameraFaults faults) {
        this.cameraPrefix = cameraPrefix;
        this.cameras = cameras;
        this.batch = batch;
        this.faults = faults;
        for (String id : java.util.stream.Stream.concat(faults.silentAfter().keySet().stream(), faults.clockOffset().keySet().stream()).toList()) {
            if (java.util.stream.IntStream.rangeClosed(1, cameras).noneMatch(i -> id(i).equals(id))) {
                throw new IllegalArgumentException(id + " is not one of the simulated cameras " + id(1) + ".." + id(cameras));
            }
        }
        long silencedForGood = java.util.stream.IntStream.rangeClosed(1, cameras)
                .filter(i -> faults.silentAfter().containsKey(id(i))).count();
        if (silencedForGood == cameras) {
            throw new IllegalArgumentException("--silent-camera: every one of the " + cameras + " cameras would stop; keep one sending");
        }
    }

    private String id(int i) {
        return cameraPrefix + String.format("%04d", i);
    }

    /** A random camera that still sends (the next one up when the drawn one has gone silent). */
    private String camera(RandomGenerator r) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        int first = r.nextInt(cameras);
        for (int k = 0; k < cameras; k++) {
            String id = id(1 + (first + k) % cameras);
            if (!faults.silent(id, elapsed)) {
                return id;
            }
        }
        throw new IllegalStateException("unreachable: one camera is never silenced");
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
            String camera = camera(r);
            Instant t = around.plus(faults.offset(camera)).minusMillis(r.nextInt(2_000)).truncatedTo(ChronoUnit.MILLIS);
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
