package uk.anprhub.delivery;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import uk.anprhub.store.FileImageStore;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends ONE batch of {@code reads} reads, each with a {@code pictureBytes} plate picture, through the NAS wire adapter to
 * a receiver in this JVM that parses the body as a stream and checks every picture's SHA-256; prints what it saw
 * and the peak heap and RSS. Run in its own JVM (DeliveryMemoryIT forks it with -Xmx64m; by hand for the figures):
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) uk.anprhub.delivery.StreamingHarness 500 1048576</pre>
 */
public final class StreamingHarness {

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) { // OutOfMemoryError included: the receiver's thread must not keep the JVM alive
            System.out.println("failed: " + e);
            System.exit(2);
        }
    }

    private static void run(String[] args) throws Exception {
        int reads = Integer.parseInt(args[0]);
        int pictureBytes = Integer.parseInt(args[1]);
        ObjectMapper json = new ObjectMapper();
        Path dir = Files.createTempDirectory("streaming-harness");
        FileImageStore images = new FileImageStore(dir);
        byte[] picture = new byte[pictureBytes];
        new java.util.Random(42).nextBytes(picture);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(picture));
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var day = at.atOffset(ZoneOffset.UTC).toLocalDate();
        List<Claimed> batch = new ArrayList<>(reads);
        Path first = null;
        for (int i = 0; i < reads; i++) {
            UUID id = UUID.randomUUID();
            Path file = dir.resolve(day.toString()).resolve(id + "-plate"); // FileImageStore's layout
            if (first == null) {
                images.put(day, id, "plate", picture);
                first = file;
            } else {
                Files.createLink(file, first); // the same bytes for every read: no disk filled, no time spent writing
            }
            batch.add(new Claimed(id, at, 1, "CAM", "{\"readId\":\"" + id + "\",\"vrm\":\"HARNESS\",\"captureTimeUtc\":\""
                    + at + "\",\"cameraId\":\"CAM\",\"plateImage\":{\"contentType\":\"image/jpeg\",\"sha256\":\"" + sha
                    + "\",\"bytes\":" + pictureBytes + "}}"));
        }
        picture = null;

        AtomicLong bodyBytes = new AtomicLong();
        AtomicLong picturesOk = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/nas/v1/captures", x -> {
            List<String> ids = new ArrayList<>();
            try (JsonParser p = json.getFactory().createParser(x.getRequestBody())) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.FIELD_NAME && p.currentName().equals("readId")) {
                        p.nextToken();
                        ids.add(p.getText());
                    } else if (t == JsonToken.FIELD_NAME && p.currentName().equals("data")) {
                        p.nextToken();
                        MessageDigest d = sha256();
                        p.readBinaryValue(new DigestOutputStream(OutputStream.nullOutputStream(), d));
                        if (HexFormat.of().formatHex(d.digest()).equals(sha)) {
                            picturesOk.incrementAndGet();
                        }
                    }
                }
                bodyBytes.set(p.getCurrentLocation().getByteOffset());
            }
            StringBuilder answer = new StringBuilder("[");
            for (String id : ids) {
                answer.append(answer.length() > 1 ? "," : "").append("{\"readId\":\"").append(id).append("\",\"status\":\"ACCEPTED\"}");
            }
            byte[] out = answer.append(']').toString().getBytes();
            x.sendResponseHeaders(200, out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.start();

        DeliveryProperties.Target target = DeliveryProperties.bind(Map.of("anpr.delivery.targets.nas.url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/nas/v1",
                "anpr.delivery.targets.nas.http.request-timeout", "120s")).targets().get("nas");
        WireAdapter adapter = WireAdapters.create("nas", target, images, json, "http://unused", new DefaultSslBundleRegistry());
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        SendResult o = adapter.send(batch);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long delivered = o instanceof SendResult.PerRecord r
                ? r.results().stream().filter(x -> x.status() == SendResult.RecordStatus.DELIVERED).count() : 0;
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(m -> m.getType() == MemoryType.HEAP)
                .mapToLong(m -> m.getPeakUsage().getUsed()).sum();
        server.stop(0);
        System.out.printf("delivered=%d picturesOk=%d bodyMB=%d peakHeapMB=%d vmHwmMB=%d ms=%d outcome=%s%n", delivered,
                picturesOk.get(), bodyBytes.get() >> 20, peakHeap >> 20, vmHwmKb() >> 10, ms,
                o.getClass().getSimpleName());
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        System.exit(delivered == reads && picturesOk.get() == reads ? 0 : 1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The process's peak resident set (Linux), 0 elsewhere. */
    private static long vmHwmKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Arrays.stream(l.split("\\s+")).filter(s -> s.matches("\\d+")).findFirst().orElse("0"))
                .mapToLong(Long::parseLong).findFirst().orElse(0);
    }
}
