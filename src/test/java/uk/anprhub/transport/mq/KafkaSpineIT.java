package uk.anprhub.transport.mq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import uk.anprhub.AnprHubApplication;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.support.FreePorts;
import uk.anprhub.support.HubProcess;
import uk.anprhub.support.TestDatabase;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka spine (docs/kafka-spine.md) end to end: an embedded KRaft broker; one EDGE hub (anpr.spine.mode=edge,
 * in this JVM: its answers are what the test counts, and a Spring context starts faster than a jar) taking reads over
 * HTTP and publishing them; two CENTRAL hubs (the real jar, {@link HubProcess}, so that one can be killed with
 * SIGKILL) in one consumer group on one PostgreSQL, delivering to a NAS simulator.
 * <ol>
 * <li>load into the edge; one central hub killed with SIGKILL mid-load (its partitions pass to the other after the
 * session timeout; what it had stored but not committed is consumed again);</li>
 * <li>the surviving central hub frozen with SIGSTOP (the site link down: no poll, heartbeat or commit reaches
 * Kafka): the edge keeps acknowledging (rate measured), the backlog stays in Kafka;</li>
 * <li>SIGCONT (the link back): the hub rejoins the group and drains the backlog (time measured).</li>
 * </ol>
 * Then: every read the edge acknowledged is stored exactly once centrally (key {@code <cameraId>:<readId>}) and
 * delivered to NAS. Last, with the broker gone, the edge answers 503 + Retry-After, as for a store outage.
 */
class KafkaSpineIT {

    static final String TOPIC = "anpr.it.spine";
    static final String GROUP = "anpr-hub-it-spine";
    static final int PARTITIONS = 4;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final Duration UP_LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path data;

    @Test
    void edgeAcknowledgesOnlyWhatKafkaHasAndCentralStoresItOnceThroughAKillAndALinkOutage() throws Exception {
        MqBrokers.quiet("org.apache.kafka", "kafka", "state.change.logger");
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, PARTITIONS, TOPIC);
        kafka.afterPropertiesSet();
        HubProcess[] central = new HubProcess[2];
        ConfigurableApplicationContext edge = null;
        boolean kafkaDown = false;
        ExecutorService clients = Executors.newFixedThreadPool(4);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet(); // edge read ids
        AtomicLong refused = new AtomicLong();
        try (TestDatabase db = TestDatabase.start(); NasSimulator nas = NasSimulator.start(0);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()))) {
            long t0 = System.nanoTime();
            int[] ports = {FreePorts.next(), FreePorts.next()};
            central[0] = central(db, nas, kafka, 0, ports[0]);
            central[1] = central(db, nas, kafka, 1, ports[1]);
            edge = edge(kafka);
            int edgePort = Integer.parseInt(edge.getEnvironment().getProperty("local.server.port"));
            central[0].waitUntilUp(UP_LIMIT);
            central[1].waitUntilUp(UP_LIMIT);
            System.out.printf("KafkaSpineIT: broker, database, edge and two central hubs up in %d s%n", seconds(t0));

            // 1. load; kill -9 one central consumer mid-load
            AtomicBoolean loading = new AtomicBoolean(true);
            for (int c = 0; c < 4; c++) {
                clients.submit(() -> load(edgePort, loading, acknowledged, refused));
            }
            // counts, not durations: on a loaded machine the rates vary tenfold
            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
            org.awaitility.Awaitility.await("load flowing through both central hubs").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> acknowledged.size() >= 200
                            && metric(central[0], "anpr_reads_stored_total") > 0 && metric(central[1], "anpr_reads_stored_total") > 0);
            central[1].kill9();
            int atKill = acknowledged.size();
            org.awaitility.Awaitility.await("load after the kill").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> acknowledged.size() >= atKill + 300);
            loading.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
            int phase1 = acknowledged.size();
            System.out.printf("KafkaSpineIT: %d reads acknowledged by the edge, %d of them before the kill, %d refused%n",
                    phase1, atKill, refused.get());

            // the surviving central hub takes the dead one's partitions (session timeout) and catches up
            awaitStored(jdbc, acknowledged, Duration.ofSeconds(45));
            awaitCommitted(admin, Duration.ofSeconds(15));

            // 2. the site link down: the surviving central hub frozen (SIGSTOP: no poll, no heartbeat, no commit, as
            // when the link is cut; a restart would cost a JVM start). The edge keeps acknowledging; the backlog stays.
            double survivorDuplicates = metric(central[0], "anpr_reads_duplicate_total");
            Map<TopicPartition, Long> committedBefore = committed(admin);
            signal("STOP", central[0]);
            Set<String> whileDown = ConcurrentHashMap.newKeySet();
            ExecutorService downClients = Executors.newFixedThreadPool(4);
            AtomicBoolean downLoading = new AtomicBoolean(true);
            long downStart = System.nanoTime();
            for (int c = 0; c < 4; c++) {
                downClients.submit(() -> load(edgePort, downLoading, whileDown, refused));
            }
            // beyond the session timeout: the group has no live member (the broker says so; was a fixed 8 s sleep)
            org.awaitility.Awaitility.await("the frozen hub out of the group").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> admin.describeConsumerGroups(List.of(GROUP)).all().get()
                            .get(GROUP).members().isEmpty());
            org.awaitility.Awaitility.await("load while central is away").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> whileDown.size() >= 300);
            downLoading.set(false);
            downClients.shutdown();
            assertThat(downClients.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
            double downSeconds = (System.nanoTime() - downStart) / 1e9;
            long backlog = lag(admin);
            System.out.printf("KafkaSpineIT: central unreachable: the edge acknowledged %d reads in %.1f s (%.0f reads/s); backlog in Kafka %d records%n",
                    whileDown.size(), downSeconds, whileDown.size() / downSeconds, backlog);
            assertThat(backlog).as("every read acknowledged meanwhile waits in Kafka").isGreaterThanOrEqualTo(whileDown.size());
            assertThat(committed(admin)).as("nothing consumed while no central hub runs").isEqualTo(committedBefore);
            assertThat(storedCount(jdbc, whileDown)).isZero();
            acknowledged.addAll(whileDown);

            // 3. the link back: the backlog drains (the consumer rejoins the group first)
            long back = System.nanoTime();
            signal("CONT", central[0]);
            awaitStored(jdbc, acknowledged, Duration.ofSeconds(60));
            awaitCommitted(admin, Duration.ofSeconds(15));
            System.out.printf("KafkaSpineIT: backlog of %d records drained %.1f s after the link came back%n",
                    backlog, (System.nanoTime() - back) / 1e9);

            // every acknowledged read stored exactly once and delivered
            String[] ids = acknowledged.toArray(String[]::new);
            assertThat(storedCount(jdbc, acknowledged)).as("acknowledged reads stored centrally").isEqualTo(acknowledged.size());
            assertThat(jdbc.queryForObject("select count(*) - count(distinct idempotency_key) from nas_read", Integer.class))
                    .as("reads stored twice").isZero();
            // beyond them only reads of messages the edge answered 503 (a send timed out, yet reached Kafka)
            assertThat(jdbc.queryForObject("select count(*) from nas_read", Integer.class)).as("all reads stored centrally")
                    .isBetween(acknowledged.size(), acknowledged.size() + 10 * (int) refused.get());
            Set<String> centralIds = new HashSet<>(jdbc.queryForList(
                    "select read_id::text from nas_read where split_part(idempotency_key, ':', 2) = any(?)", String.class, (Object) ids));
            org.awaitility.Awaitility.await("acknowledged reads delivered to NAS").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> nas.acceptedReadIds().containsAll(centralIds));

            // 4. Kafka itself unreachable: the edge answers as for a store outage, never 200
            kafka.destroy();
            kafkaDown = true;
            long sent = System.nanoTime();
            HttpResponse<String> down = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + edgePort + "/ingest/nas-json"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(TestReads.array(2))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(JSON.readTree(down.body()).path("error").asText()).isEqualTo("spine-unavailable");
            System.out.printf("KafkaSpineIT: Kafka down: the edge answered 503 after %.1f s (send-timeout 3 s)%n",
                    (System.nanoTime() - sent) / 1e9);
            System.out.printf("KafkaSpineIT: %d reads stored once and delivered (NAS accepted %d, duplicates %d); records consumed again after the kill (duplicates at the surviving hub): %.0f; %d s in all%n",
                    acknowledged.size(), nas.stat("accepted"), nas.stat("duplicates"), survivorDuplicates, seconds(t0));
        } finally {
            clients.shutdownNow();
            if (edge != null) {
                edge.close();
            }
            HubProcess.closeAll(central);
            if (!kafkaDown) {
                kafka.destroy();
            }
        }
    }

    private HubProcess central(TestDatabase db, NasSimulator nas, EmbeddedKafkaKraftBroker kafka, int n, int port) throws IOException {
        Path dir = data.resolve("central" + n);
        Files.createDirectories(dir);
        return HubProcess.start(dir, port, Map.of("ANPR_DB_URL", db.jdbcUrl(), "ANPR_NAS_URL", nas.nasUrl()),
                "--anpr.spine.mode=central", "--anpr.spine.brokers=" + kafka.getBrokersAsString(),
                "--anpr.spine.topic=" + TOPIC, "--anpr.spine.group-id=" + GROUP,
                "--anpr.retention.initial-delay=PT1H",
                "--anpr.kafka.retry-backoff=200ms", "--anpr.kafka.max-poll-records=200",
                // a consumer killed with SIGKILL leaves the group after the session timeout: short here
                "--camel.component.kafka.session-timeout-ms=6000", "--camel.component.kafka.heartbeat-interval-ms=1000",
                "--logging.level.uk.anprhub.transport.spine=INFO");
    }

    private ConfigurableApplicationContext edge(EmbeddedKafkaKraftBroker kafka) throws IOException {
        Path dir = Files.createDirectories(data.resolve("edge"));
        return new SpringApplicationBuilder(AnprHubApplication.class).properties(
                "server.port=0",
                "anpr.data-dir=" + dir,
                "anpr.demo=true", // nas-json as an HTTP feed
                "anpr.cameras.location=src/test/resources/cameras",
                "anpr.retention.initial-delay=PT1H",
                "anpr.spine.mode=edge",
                "anpr.spine.brokers=" + kafka.getBrokersAsString(),
                "anpr.spine.topic=" + TOPIC,
                "anpr.spine.send-timeout=3s",
                "logging.level.org.apache.kafka=WARN").run();
    }

    /** Posts arrays of 10 reads to the edge until told to stop; keeps the read ids of 200 answers. */
    private static void load(int port, AtomicBoolean loading, Set<String> acknowledged, AtomicLong refused) {
        while (loading.get()) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/nas-json"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(TestReads.array(10))).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    for (JsonNode id : JSON.readTree(r.body()).get("readIds")) {
                        acknowledged.add(id.asText());
                    }
                } else {
                    refused.incrementAndGet();
                }
            } catch (IOException e) {
                refused.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Central rows of these edge read ids (the nas-json connector keys a read {@code <cameraId>:<readId>}). */
    private static int storedCount(JdbcTemplate jdbc, Set<String> edgeIds) {
        return jdbc.queryForObject("select count(*) from nas_read where split_part(idempotency_key, ':', 2) = any(?)",
                Integer.class, (Object) edgeIds.toArray(String[]::new));
    }

    private static void awaitStored(JdbcTemplate jdbc, Set<String> edgeIds, Duration limit) {
        org.awaitility.Awaitility.await("acknowledged reads stored centrally").atMost(limit).pollInterval(Duration.ofMillis(250))
                .until(() -> storedCount(jdbc, edgeIds) == edgeIds.size());
    }

    private static void awaitCommitted(Admin admin, Duration limit) {
        org.awaitility.Awaitility.await("offsets committed to the end").atMost(limit).pollInterval(Duration.ofMillis(250))
                .until(() -> lag(admin) == 0);
    }

    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    /** Records in the topic beyond the group's committed offsets. */
    private static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            spec.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> committed = committed(admin);
        long lag = 0;
        for (var e : admin.listOffsets(spec).all().get().entrySet()) {
            lag += e.getValue().offset() - committed.getOrDefault(e.getKey(), 0L);
        }
        return lag;
    }

    /** A counter of a central hub's feed nas-json (the spine's), from its open /actuator/prometheus; -1 when unread. */
    private static double metric(HubProcess hub, String name) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/prometheus"))).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith(name + "{") && l.contains("feed=\"nas-json\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return -1;
        }
    }

    /** kill -STOP / -CONT: freezes and thaws a hub process (HubProcess sends only SIGKILL and SIGTERM). */
    private static void signal(String name, HubProcess hub) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(hub.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + name).isZero();
    }

    private static long seconds(long since) {
        return (System.nanoTime() - since) / 1_000_000_000L;
    }
}
