package uk.anprhub.security;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 5, attacked over real sockets: more connections than the hub has web threads (20 here) trickle
 * camera bodies, one byte every 250 ms. Health, Prometheus and the API keep answering at once; at most 8 of the
 * senders read bodies (the rest get 503 + Retry-After at once) and those 8 get 408 when their 3 s are up. Senders
 * the feed refuses are answered from their headers, their bodies unread, and their connections closed.
 */
class SlowBodySecurityIT extends ProductionHub {

    private static final int SENDERS = 30;
    private static final Duration TRICKLE = Duration.ofMillis(250);
    private static final Duration QUICK = Duration.ofSeconds(2);

    @Test
    void slowBodiesCannotStarveHealthPrometheusOrTheApi() throws Exception {
        double timeouts = metric("anpr_http_ingest_refused_total{reason=\"body-timeout\"}");
        double busy = metric("anpr_http_ingest_refused_total{reason=\"busy\"}");
        List<SlowSender> senders = new ArrayList<>();
        try {
            for (int i = 0; i < SENDERS; i++) {
                senders.add(new SlowSender("/ingest/keyed-nas", 5000, TRICKLE, "X-Api-Key", KEY));
            }
            Thread.sleep(300); // let the hub take every connection in
            HttpResponse<String> health = get("/actuator/health", QUICK, false);
            assertThat(health.body()).contains("\"status\"");
            assertThat(get("/actuator/prometheus", QUICK, false).statusCode()).isEqualTo(200);
            HttpResponse<String> api = get("/api/v1/delivery/targets", QUICK, true);
            assertThat(api.statusCode()).as(api.body()).isEqualTo(200);

            List<int[]> answers = new ArrayList<>();
            for (SlowSender s : senders) {
                answers.add(s.answer.get(15, TimeUnit.SECONDS));
            }
            List<int[]> shed = answers.stream().filter(a -> a[0] == 503).toList();
            List<int[]> timedOut = answers.stream().filter(a -> a[0] == 408).toList();
            assertThat(shed.size() + timedOut.size()).as("every sender got 503 or 408").isEqualTo(SENDERS);
            assertThat(timedOut).as("at most 8 read bodies at once").hasSizeLessThanOrEqualTo(8).isNotEmpty();
            assertThat(shed).allSatisfy(a -> assertThat(a[1]).as("503 at once, ms").isLessThan(2000));
            // the deadline (3 s) plus at most one read wait (1 s) plus slack for a busy 2-core machine
            assertThat(timedOut).allSatisfy(a -> assertThat(a[1]).as("408 by the deadline, ms").isBetween(2900, 6500));
            assertThat(senders.stream().filter(s -> s.answer.join()[0] == 503))
                    .allSatisfy(s -> assertThat(s.head).containsIgnoringCase("Retry-After: 1"));
            assertThat(senders.get(0).closedByHub()).isTrue();
        } finally {
            for (SlowSender s : senders) {
                s.close();
            }
        }
        assertThat(metric("anpr_http_ingest_refused_total{reason=\"body-timeout\"}") - timeouts).isBetween(1.0, 8.0);
        assertThat(metric("anpr_http_ingest_refused_total{reason=\"busy\"}") - busy).isGreaterThanOrEqualTo(SENDERS - 8);
    }

    @Test
    void refusedSendersAreAnsweredFromTheirHeadersWithoutTheirBodiesBeingRead() throws Exception {
        List<SlowSender> senders = new ArrayList<>();
        try {
            for (int i = 0; i < SENDERS; i++) {
                String path = switch (i % 3) {
                    case 0 -> "/ingest/keyed-nas";   // no key: 401
                    case 1 -> "/ingest/listed-nas";  // not on the allowlist: 403
                    default -> "/ingest/nas-json";   // not an HTTP feed: 404
                };
                senders.add(new SlowSender(path, 5000, TRICKLE));
            }
            for (int i = 0; i < SENDERS; i++) {
                int[] a = senders.get(i).answer.get(10, TimeUnit.SECONDS);
                assertThat(a[0]).isEqualTo(new int[]{401, 403, 404}[i % 3]);
                assertThat(a[1]).as("answered before the body, ms").isLessThan(2000);
            }
            // the refused connections hold no web thread: no drain of the rest of their bodies
            assertThat(get("/actuator/health", QUICK, false).body()).contains("\"status\"");
            assertThat(get("/api/v1/delivery/targets", QUICK, true).statusCode()).isEqualTo(200);
            assertThat(senders.get(0).closedByHub()).as("connection closed, body left unread").isTrue();
        } finally {
            for (SlowSender s : senders) {
                s.close();
            }
        }
    }

    @Test
    void aSenderThatSendsNoBodyAtAllGets408() throws Exception {
        try (SlowSender silent = new SlowSender("/ingest/keyed-nas", 100, null, "X-Api-Key", KEY)) {
            int[] a = silent.answer.get(10, TimeUnit.SECONDS);
            assertThat(a[0]).isEqualTo(408);
            assertThat(a[1]).isLessThan(5000);
        }
    }
}
