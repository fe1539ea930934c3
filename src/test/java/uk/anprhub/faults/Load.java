package uk.anprhub.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cameras posting batches of canonical reads to {@code /ingest/nas-json} as fast as they are answered, as a camera
 * would: a 2xx is an acknowledgement (every read id in it recorded), a 503 is retried after its {@code Retry-After}
 * (at most 1 s here), anything else after a short pause. Every answer is recorded with when it was asked and answered,
 * so a test can say how long cameras waited during a fault and when the first 2xx came after it.
 */
final class Load implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One request: when it was sent and answered (System.nanoTime), the status (0: no answer, I/O error). */
    record Answer(long sentNanos, long answeredNanos, int status) {
        double waitedSeconds() {
            return (answeredNanos - sentNanos) / 1e9;
        }
    }

    private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService cameras;
    private final String url;
    private final int readsPerRequest;
    private final Duration requestTimeout;
    /** Base64 of the overview picture every read carries; null: reads without pictures. */
    private final String picture;
    private final LongAdder withoutRetryAfter = new LongAdder();

    private Load(String url, int cameras, int readsPerRequest, Duration requestTimeout, String picture) {
        this.url = url;
        this.readsPerRequest = readsPerRequest;
        this.requestTimeout = requestTimeout;
        this.picture = picture;
        this.cameras = Executors.newFixedThreadPool(cameras);
        for (int i = 0; i < cameras; i++) {
            this.cameras.submit(this::camera);
        }
    }

    /** Starts {@code cameras} senders of {@code readsPerRequest} reads per request to {@code ingestUrl}. */
    static Load start(String ingestUrl, int cameras, int readsPerRequest, Duration requestTimeout) {
        return new Load(ingestUrl, cameras, readsPerRequest, requestTimeout, null);
    }

    /** As {@link #start}, every read with an overview picture of {@code pictureBytes} (a JPEG as far as the hub checks). */
    static Load withPictures(String ingestUrl, int cameras, int readsPerRequest, Duration requestTimeout, int pictureBytes) {
        byte[] jpeg = new byte[pictureBytes];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(jpeg); // incompressible, as real pictures are
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        jpeg[2] = (byte) 0xFF;
        return new Load(ingestUrl, cameras, readsPerRequest, requestTimeout, java.util.Base64.getEncoder().encodeToString(jpeg));
    }

    private String body() {
        if (picture == null) {
            return TestReads.array(readsPerRequest);
        }
        List<String> reads = new ArrayList<>(readsPerRequest);
        for (int i = 0; i < readsPerRequest; i++) {
            String r = TestReads.read();
            reads.add(r.substring(0, r.length() - 1) + ",\"overviewImage\":{\"data\":\"" + picture + "\"}}");
        }
        return "[" + String.join(",", reads) + "]";
    }

    private void camera() {
        while (running.get()) {
            long sent = System.nanoTime();
            int status = 0;
            long pauseMillis = 200;
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json").timeout(requestTimeout)
                        .POST(HttpRequest.BodyPublishers.ofString(body())).build(),
                        HttpResponse.BodyHandlers.ofString());
                status = r.statusCode();
                if (status / 100 == 2) {
                    JSON.readTree(r.body()).get("readIds").forEach(n -> acknowledged.add(UUID.fromString(n.asText())));
                    pauseMillis = 0;
                } else if (status == 503) {
                    if (r.headers().firstValue("Retry-After").isEmpty()) {
                        withoutRetryAfter.increment();
                    }
                    pauseMillis = Math.min(1000, 1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
                }
            } catch (IOException e) {
                // no answer (refused, reset, timed out): recorded as status 0
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                status = -1; // an answer we could not read: recorded, never silently dropped
            }
            answers.add(new Answer(sent, System.nanoTime(), status));
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            if (pauseMillis > 0) {
                try {
                    Thread.sleep(pauseMillis); // the load's own pace
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    Set<UUID> acknowledged() {
        return acknowledged;
    }

    List<Answer> answers() {
        return new ArrayList<>(answers);
    }

    /** Answers by status (0 = no answer), e.g. {@code {200=412, 503=37, 0=4}}. */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> out = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** 503 answers that did not say when to come back. */
    long withoutRetryAfter() {
        return withoutRetryAfter.sum();
    }

    /** Answers by status of the requests answered between {@code fromNanos} and {@code toNanos}. */
    Map<Integer, Long> statusesAnsweredBetween(long fromNanos, long toNanos) {
        Map<Integer, Long> out = new java.util.TreeMap<>();
        answers.stream().filter(a -> a.answeredNanos() >= fromNanos && a.answeredNanos() <= toNanos)
                .forEach(a -> out.merge(a.status(), 1L, Long::sum));
        return out;
    }

    /** Seconds from {@code sinceNanos} to the first 2xx answered after it; -1 if none yet. */
    double secondsToFirst2xxAfter(long sinceNanos) {
        return answers.stream().filter(a -> a.status() / 100 == 2 && a.answeredNanos() > sinceNanos)
                .mapToLong(Answer::answeredNanos).min().stream().mapToDouble(t -> (t - sinceNanos) / 1e9).findFirst().orElse(-1);
    }

    /**
     * The longest a request waited for its answer (or its client time-out), in seconds, among those a fault between
     * {@code from} and {@code to} could hold: sent before {@code to}, answered after {@code from}.
     */
    double longestWaitOfRequestsHeldBetween(long fromNanos, long toNanos) {
        return answers.stream().filter(a -> a.sentNanos() < toNanos && a.answeredNanos() > fromNanos)
                .mapToDouble(Answer::waitedSeconds).max().orElse(0);
    }

    /** Stops sending; requests in flight are answered (or time out) first, so every acknowledgement is counted. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        cameras.shutdown();
        if (!cameras.awaitTermination(requestTimeout.toSeconds() + 10, TimeUnit.SECONDS)) {
            cameras.shutdownNow();
        }
    }
}
