package uk.anprhub.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A camera that keeps posting one read to {@code /ingest/nas-json} from the moment the hub is launched until it gets a
 * 2xx, as a camera retrying after a power cut would: what does it hear while the hub starts? Counts every answer by
 * status from the moment the port opens (refused connections before that are not answers).
 */
final class StartWatch {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** Answers by status while starting, seconds from launch to the port opening and to the first 2xx. */
    record Figures(Map<Integer, Integer> statuses, double portOpenSeconds, double first2xxSeconds) {
        int notFound() {
            return statuses.getOrDefault(404, 0);
        }

        String line(String what) {
            return String.format(Locale.ROOT, "fault=%s answersWhileStarting=%s notFound=%d portOpenSeconds=%.1f first2xxSeconds=%.1f",
                    what, statuses, notFound(), portOpenSeconds, first2xxSeconds);
        }
    }

    private StartWatch() {
    }

    /** Starts watching now (call right before launching the hub); acknowledged read ids are added to {@code acked}. */
    static CompletableFuture<Figures> watch(String ingestUrl, Set<UUID> acked, Duration limit) {
        long launched = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> {
            Map<Integer, Integer> statuses = new TreeMap<>();
            long portOpen = -1;
            long until = launched + limit.toNanos();
            while (System.nanoTime() < until) {
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ingestUrl))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(TestReads.read())).build(), HttpResponse.BodyHandlers.ofString());
                    portOpen = portOpen < 0 ? System.nanoTime() : portOpen;
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() / 100 == 2) {
                        JSON.readTree(r.body()).get("readIds").forEach(n -> acked.add(UUID.fromString(n.asText())));
                        return new Figures(statuses, (portOpen - launched) / 1e9, (System.nanoTime() - launched) / 1e9);
                    }
                } catch (ConnectException e) {
                    // the port is not open yet: not an answer
                } catch (IOException e) {
                    if (portOpen > 0) {
                        statuses.merge(0, 1, Integer::sum); // open, then no answer (reset): counted as status 0
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                try {
                    Thread.sleep(portOpen < 0 ? 50 : 100); // sampling: every answer while starting is recorded
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return new Figures(statuses, portOpen < 0 ? -1 : (portOpen - launched) / 1e9, -1);
        });
    }
}
