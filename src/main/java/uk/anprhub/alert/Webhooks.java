package uk.anprhub.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.core.ExponentialBackoff;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends hits to the webhook targets from the {@code alert_webhook} outbox: a row is claimed with
 * {@code FOR UPDATE SKIP LOCKED} and a lease (so two hubs never send it at once), POSTed, then marked DELIVERED;
 * a failure is retried with doubling back-off and becomes DEAD after the target's max attempts. After a failure the
 * target is held until that retry is due, so an outage does not use up the attempts of the hits queued behind it.
 * Never logs a plate: target id, hit id and status only.
 */
final class Webhooks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    private static final String CLAIM = """
            update alert_webhook w set attempts = w.attempts + 1, next_attempt_at = now() + make_interval(secs => ?)
            where (w.target, w.hit_id) = (select target, hit_id from alert_webhook
                                          where target = ? and status = 'PENDING' and next_attempt_at <= now()
                                          order by hit_id limit 1 for update skip locked)
            returning w.hit_id, w.attempts""";

    /** A target's outbox now. */
    record Status(String target, String url, long pending, long delivered, long dead) {
    }

    private final JdbcTemplate jdbc;
    private final HitStore hits;
    private final Map<String, AlertProperties.Webhook> targets;
    private final ObjectMapper json;
    private final HttpClient http;
    private final ScheduledExecutorService worker;
    private final Map<String, Long> heldUntil = new ConcurrentHashMap<>();

    Webhooks(JdbcTemplate jdbc, HitStore hits, AlertProperties props, ObjectMapper json) {
        this.jdbc = jdbc;
        this.hits = hits;
        this.targets = Map.copyOf(props.webhooks());
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anpr-alert-webhooks");
            t.setDaemon(true);
            return t;
        });
        if (!targets.isEmpty()) {
            long every = Math.max(50, props.poll().toMillis());
            worker.scheduleWithFixedDelay(this::sendDue, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Target id → the lists it takes (empty: all), for the outbox rows written with each hit. */
    Map<String, Collection<String>> routing() {
        Map<String, Collection<String>> out = new LinkedHashMap<>();
        targets.forEach((id, w) -> out.put(id, w.lists()));
        return out;
    }

    /** New hits are queued: send now rather than at the next poll. */
    void wake() {
        if (!targets.isEmpty()) {
            worker.execute(this::sendDue);
        }
    }

    private void sendDue() {
        for (Map.Entry<String, AlertProperties.Webhook> t : targets.entrySet()) {
            try {
                sendDue(t.getKey(), t.getValue());
            } catch (RuntimeException e) {
                log.warn("Alert webhook {}: outbox not read ({})", t.getKey(), e.getClass().getSimpleName());
            }
        }
    }

    private void sendDue(String target, AlertProperties.Webhook w) {
        for (int n = 0; n < 500; n++) { // bounded per round: the other targets get their turn
            if (System.currentTimeMillis() < heldUntil.getOrDefault(target, 0L)) {
                return;
            }
            double lease = w.timeout().toMillis() / 1000.0 + 30;
            List<long[]> claimed = jdbc.query(CLAIM, (rs, i) -> new long[]{rs.getLong(1), rs.getLong(2)}, lease, target);
            if (claimed.isEmpty()) {
                return;
            }
            long hitId = claimed.get(0)[0];
            int attempts = (int) claimed.get(0)[1];
            Optional<Hit> hit = hits.byId(hitId);
            if (hit.isEmpty()) {
                continue; // removed by retention meanwhile (the row went with it)
            }
            String error = send(w, hit.get());
            if (error == null) {
                jdbc.update("update alert_webhook set status = 'DELIVERED', delivered_at = now(), last_error = null"
                        + " where target = ? and hit_id = ?", target, hitId);
                continue;
            }
            if (attempts >= w.maxAttempts()) {
                jdbc.update("update alert_webhook set status = 'DEAD', last_error = ? where target = ? and hit_id = ?",
                        error, target, hitId);
                log.warn("Alert webhook {}: hit {} is a dead letter after {} attempt(s): {}", target, hitId, attempts, error);
            } else {
                long delay = backoff(w, attempts);
                jdbc.update("update alert_webhook set next_attempt_at = now() + make_interval(secs => ?), last_error = ?"
                        + " where target = ? and hit_id = ?", delay / 1000.0, error, target, hitId);
                heldUntil.put(target, System.currentTimeMillis() + delay);
                if (attempts == 1) {
                    log.warn("Alert webhook {}: hit {} not accepted ({}); retrying with back-off", target, hitId, error);
                }
                return;
            }
        }
    }

    static long backoff(AlertProperties.Webhook w, int attempts) {
        return new ExponentialBackoff(w.backoff(), w.maxBackoff()).delay(attempts).toMillis();
    }

    /** Null when the receiver took it (2xx), else a short reason (status or exception class; no body quoted). */
    private String send(AlertProperties.Webhook w, Hit hit) {
        try {
            HttpRequest req = HttpRequest.newBuilder(w.url()).timeout(w.timeout())
                    .header("Content-Type", "application/json").header("X-Anpr-Hit-Id", String.valueOf(hit.id()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(hit))).build();
            HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
            return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (java.io.IOException e) {
            return e.getClass().getSimpleName();
        }
    }

    List<Status> status() {
        return targets.entrySet().stream().map(t -> {
            Map<String, Object> c = jdbc.queryForMap("""
                    select count(*) filter (where status = 'PENDING') p, count(*) filter (where status = 'DELIVERED') d,
                           count(*) filter (where status = 'DEAD') x from alert_webhook where target = ?""", t.getKey());
            return new Status(t.getKey(), t.getValue().url().toString(), ((Number) c.get("p")).longValue(),
                    ((Number) c.get("d")).longValue(), ((Number) c.get("x")).longValue());
        }).toList();
    }

    boolean known(String target) {
        return targets.containsKey(target);
    }

    /** DEAD rows of the target back to PENDING with fresh attempts; the caller audits. */
    int replay(String target) {
        int n = jdbc.update("update alert_webhook set status = 'PENDING', attempts = 0, next_attempt_at = now()"
                + " where target = ? and status = 'DEAD'", target);
        heldUntil.remove(target);
        wake();
        return n;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
