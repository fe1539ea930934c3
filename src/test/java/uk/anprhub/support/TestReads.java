package uk.anprhub.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Canonical reads (the nas-json feed's input) for tests: unique plates, recent times, demo cameras. */
public final class TestReads {

    private TestReads() {
    }

    /** A plate no other test run will produce (random letters and digits, UK-like shape). */
    public static String plate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String letters = "ABCDEFGHJKLMNOPRSTUVWXYZ";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2; i++) b.append(letters.charAt(r.nextInt(letters.length())));
        b.append(r.nextInt(10)).append(r.nextInt(10)).append(' ');
        for (int i = 0; i < 3; i++) b.append(letters.charAt(r.nextInt(letters.length())));
        b.append(r.nextInt(10)); // 8 characters: never collides with the 7-character samples
        return b.toString();
    }

    public static String read(String plate, Instant captured, int camera) {
        return """
                {"vrm":"%s","captureTimeUtc":"%s","cameraId":"MPS-DEMO-%04d","confidencePct":%d,"direction":"TOWARDS","countryCode":"GBR"}"""
                .formatted(plate, captured.truncatedTo(ChronoUnit.MILLIS), camera, 60 + ThreadLocalRandom.current().nextInt(40));
    }

    public static String read() {
        return read(plate(), Instant.now().minusSeconds(ThreadLocalRandom.current().nextInt(1, 3600)),
                1 + ThreadLocalRandom.current().nextInt(10));
    }

    public static String array(int n) {
        List<String> reads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) reads.add(read());
        return "[" + String.join(",", reads) + "]";
    }
}
