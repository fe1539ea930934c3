package uk.anprhub.faults;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import uk.anprhub.simulator.nas.Faults;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.support.FreePorts;
import uk.anprhub.support.HikvisionUploads;
import uk.anprhub.support.HubJar;
import uk.anprhub.support.HubProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator's worst week, against the hub as a real process (the built jar) under camera load: its external
 * PostgreSQL stopped and started, crashed (SIGKILL of the postmaster and every backend), frozen (SIGSTOP); the national
 * service down; FTP uploads while PostgreSQL is stopped; pictures that cannot be written; the national service slow
 * with 1 MB pictures; the hub itself killed with SIGKILL during ingest and during a slow drain, and restarted, with a
 * camera knocking from the moment each hub is launched. Each scenario prints one line of exact figures ({@link Tally};
 * docs/reliability.md quotes them).
 *
 * <p>Two kinds of assertion. What holds today and must keep holding (issue 11, "Done means"): nothing acknowledged is
 * lost, outages make no dead letters, NAS receives every acknowledged read, duplicates stay within the bound. And the
 * targets of issue 11 that fail on the code this suite was written against (named in each test's comment): a frozen
 * database answered with a 503 within seconds, no 404 while starting, no batch left waiting out the 5-minute lease.
 * The scenarios share one database, simulator and hub (starts are the slow part); each counts only its own reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    private static final int CAMERAS = 8;
    private static final int READS_PER_REQUEST = 10;
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** Duplicates a crash may cause: what the workers had in flight (4 workers x 500 reads, docs/delivery.md). */
    private static final int DUPLICATE_BOUND = 4 * 500;
    /** The operator's request time-out to NAS here: a lease "sized to the request timeout" follows it (item 8). */
    private static final String REQUEST_TIMEOUT = "--anpr.delivery.targets.nas.http.request-timeout=5s";
    /** Batches of at most 1 MB here (reads without pictures), so the lease is 5 s + 1 MB at 512 KB/s + 5 s = 12 s. */
    private static final String BATCH_BYTES = "--anpr.delivery.targets.nas.max-batch-bytes=1MB";
    /**
     * The breaker's and the per-read back-off's waits shortened (defaults 5 s to 2 min, 1 s to 60 s): how long a NAS
     * outage is waited out is configuration, not what nasDownForAWhile proves (nothing lost, no dead letter, no
     * duplicate, all delivered once NAS is back); with the defaults the test spent ~10 s waiting for the next probe.
     * No other scenario here makes NAS fail (slow NAS answers within the request timeout).
     */
    private static final String[] SHORT_OUTAGE_WAITS = {"--anpr.delivery.targets.nas.breaker.open-wait=1s",
            "--anpr.delivery.targets.nas.breaker.max-open-wait=2s", "--anpr.delivery.targets.nas.retry.max=2s"};
    /** How soon after recovery nothing may be left pending (target: not the 5-minute lease). */
    private static final Duration DRAINED_WITHIN = Duration.ofSeconds(15);
    /** The FTP camera (the demo registry's Hikvision camera that uploads into folder Driveway). */
    private static final String FTP_USER = "driveway";
    private static final String FTP_FOLDER = "Driveway";
    private static final String FTP_PASSWORD = "fault-suite-password";
    private static final String FTP_HASH = new BCryptPasswordEncoder(4).encode(FTP_PASSWORD);
    /** Files uploaded while PostgreSQL is stopped (at least; more if the outage lasts longer). */
    private static final int FTP_FILES = 40;
    /** Reads of 1 MB pictures sent while NAS is slow. */
    private static final int BIG_PICTURE_READS = 120;

    @TempDir
    static Path dir;

    private ExternalPostgres pg;
    private NasSimulator nas;
    private JdbcTemplate db;
    private int port;
    private int ftpPort;
    private HubProcess hub;
    private final List<StartWatch.Figures> starts = new ArrayList<>();
    private final Set<UUID> startAcks = ConcurrentHashMap.newKeySet();

    @BeforeAll
    void start() throws Exception {
        pg = ExternalPostgres.start(dir.resolve("pg"), FreePorts.next());
        db = new JdbcTemplate(pg.dataSource());
        assertThat(db.queryForObject("show fsync", String.class)).isEqualTo("on");
        nas = NasSimulator.start(0);
        port = FreePorts.next();
        ftpPort = FreePorts.next();
        HubJar.prepare(); // its one-off work is not part of the start StartWatch times
        launch("start");
    }

    @AfterAll
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (nas != null) {
            nas.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    // ---- the hub's database and NAS fail under it ----

    @Test
    @Order(1)
    void postgresStoppedAndStartedDuringIngest() throws Exception {
        Tally t = outage("pg-stop", pg::stop, pg::start);
        assertNothingLostOrDead(t);
        assertThat(t.deliveredUnique()).as("acknowledged reads NAS accepted").isEqualTo(t.acknowledged());
        assertAllDeliveredAndNothingLeftWaitingTheLease(t); // target: fails on today's code when a verdict was lost
    }

    @Test
    @Order(2)
    void postgresCrashedDuringIngest() throws Exception {
        Tally t = outage("pg-crash", pg::crash, pg::start);
        assertNothingLostOrDead(t);
        assertThat(t.deliveredUnique()).as("acknowledged reads NAS accepted").isEqualTo(t.acknowledged());
        assertAllDeliveredAndNothingLeftWaitingTheLease(t); // target: fails on today's code when a verdict was lost
    }

    @Test
    @Order(3)
    void nasDownForAWhile() throws Exception {
        Instant since = Instant.now();
        nas.reset();
        Tally t;
        try (Load load = Load.start(ingestUrl(), CAMERAS, READS_PER_REQUEST, Duration.ofSeconds(60))) {
            awaitAcknowledged(load, 300);
            nas.faults(Faults.NONE.withMode(Faults.Mode.DOWN));
            Thread.sleep(4000); // long enough for the breaker to open and back off (open-wait 1 s here) at least once
            long acceptedBefore = nas.stat("accepted");
            nas.faults(Faults.NONE);
            long upAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> nas.stat("accepted") > acceptedBefore);
            double recover = (System.nanoTime() - upAt) / 1e9; // NAS up -> first delivery
            awaitAcknowledged(load, load.acknowledged().size() + 300);
            load.close();
            t = awaitDelivered("nas-down", load.acknowledged(), since, recover, Duration.ofSeconds(60));
        }
        assertNothingLostOrDead(t);
        assertThat(t.deliveredUnique()).as("acknowledged reads NAS accepted").isEqualTo(t.acknowledged());
        assertThat(t.nasDuplicates()).as("NAS duplicates after an outage of NAS").isZero();
        assertThat(t.backlog()).as("reads still waiting for delivery").isZero();
    }

    /**
     * A frozen database must not hold cameras for long: 503 + Retry-After within a few seconds (issue 11 item 7).
     * Target: fails on today's code, which holds every request until the database thaws (or 30 s).
     */
    @Test
    @Order(4)
    void postgresFrozenDuringIngest() throws Exception {
        Instant since = Instant.now();
        nas.reset();
        Duration freeze = Duration.ofSeconds(12);
        Tally t;
        double longestWait;
        Map<Integer, Long> statuses;
        try (Load load = Load.start(ingestUrl(), CAMERAS, READS_PER_REQUEST, Duration.ofSeconds(60))) {
            awaitAcknowledged(load, 300);
            long frozenAt = System.nanoTime();
            pg.freeze();
            try {
                Thread.sleep(freeze.toMillis()); // the freeze under test lasts this long
            } finally {
                pg.thaw();
            }
            long thawedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.secondsToFirst2xxAfter(thawedAt) >= 0);
            double recover = load.secondsToFirst2xxAfter(thawedAt);
            awaitAcknowledged(load, load.acknowledged().size() + 300);
            load.close();
            longestWait = load.longestWaitOfRequestsHeldBetween(frozenAt, thawedAt);
            statuses = load.statuses();
            t = awaitDelivered("pg-freeze", load.acknowledged(), since, recover, DRAINED_WITHIN);
        }
        System.out.printf("fault=pg-freeze freezeSeconds=%d longestCameraWaitSeconds=%.1f answers=%s%n",
                freeze.toSeconds(), longestWait, statuses);
        assertNothingLostOrDead(t);
        assertThat(t.deliveredUnique()).as("acknowledged reads NAS accepted").isEqualTo(t.acknowledged());
        assertThat(longestWait).as("longest a camera waited for an answer while the database was frozen (s)").isLessThan(8.0);
        assertThat(statuses).as("answers: cameras told to come back (503) while the database was frozen").containsKey(503);
    }

    // ---- FTP, pictures and NAS under faults (issue 11 items 6, 5, 2), against the real process ----

    /**
     * Issue 11 item 6: FTP uploads while PostgreSQL is stopped are answered 226 and wait on disk; once it is back
     * every file is stored within seconds (the old inbox stayed paused ~50 s, its back-off not ended by a success).
     */
    @Test
    @Order(10)
    void ftpUploadsWhilePostgresIsStoppedAreStoredSoonAfterItReturns() throws Exception {
        ensureUp();
        Instant since = Instant.now();
        nas.reset();
        byte[] jpeg = Files.readAllBytes(Path.of("connectors", "hikvision-ftp", "samples", "001-plate-in-name.jpg"));
        Path home = dir.resolve("ftp").resolve(FTP_FOLDER);
        List<String> plates = new ArrayList<>();
        int waitingAtReturn;
        pg.stop();
        long back;
        try {
            FTPClient ftp = new FTPClient();
            ftp.setConnectTimeout(5000);
            ftp.setDefaultTimeout(30_000);
            ftp.connect("127.0.0.1", ftpPort);
            try {
                assertThat(ftp.login(FTP_USER, FTP_PASSWORD)).as(ftp.getReplyString()).isTrue();
                ftp.enterLocalPassiveMode();
                ftp.setFileType(FTP.BINARY_FILE_TYPE);
                long until = System.nanoTime() + OUTAGE.toNanos();
                while (plates.size() < FTP_FILES || System.nanoTime() < until) {
                    String plate = HikvisionUploads.plate();
                    try (var in = new java.io.ByteArrayInputStream(jpeg)) {
                        assertThat(ftp.storeFile(HikvisionUploads.fileName(plate), in)).as("226 while PostgreSQL is stopped: %s",
                                ftp.getReplyString()).isTrue();
                    }
                    plates.add(plate);
                    if (plates.size() >= FTP_FILES) {
                        Thread.sleep(200); // keeps uploading, slowly, until the outage ends
                    }
                }
            } finally {
                ftp.disconnect();
            }
            waitingAtReturn = filesIn(home);
        } finally {
            pg.start();
            back = System.nanoTime(); // PostgreSQL accepts connections again
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> filesIn(home) == 0 && readIdsOfPlates(plates).size() == plates.size());
        double settled = (System.nanoTime() - back) / 1e9; // PostgreSQL back -> last file stored and moved
        Set<UUID> ids = readIdsOfPlates(plates);
        Tally t = awaitDelivered("ftp-pg-stop", ids, plates.size(), since, settled, DRAINED_WITHIN);
        System.out.printf(Locale.ROOT, "fault=ftp-pg-stop uploaded226=%d waitingWhenPostgresReturned=%d lastSettledSeconds=%.1f%n",
                plates.size(), waitingAtReturn, settled);
        assertThat(waitingAtReturn).as("files waiting in the home when PostgreSQL came back").isEqualTo(plates.size());
        assertNothingLostOrDead(t, FTP_FILES);
        assertThat(t.deliveredUnique()).as("uploaded reads NAS accepted").isEqualTo(t.acknowledged());
        assertThat(settled).as("seconds from PostgreSQL's return to the last file settled").isLessThan(15.0);
    }

    /**
     * Issue 11 item 5: pictures cannot be written for a while (a file stands where the image directory was: a real
     * write failure, which root's permissions could not give). Cameras hear 503 + Retry-After, never 500; no picture
     * is left without its read; everything acknowledged is stored and delivered; 2xx again once it is fixed.
     */
    @Test
    @Order(11)
    void picturesThatCannotBeWrittenAreTryAgainAndLeaveNoOrphans() throws Exception {
        ensureUp();
        Instant since = Instant.now();
        nas.reset();
        Path images = dir.resolve("images");
        Path aside = dir.resolve("images-aside");
        Tally t;
        Map<Integer, Long> statuses;
        Map<Integer, Long> duringFault;
        long withoutRetryAfter;
        try (Load load = Load.withPictures(ingestUrl(), CAMERAS, READS_PER_REQUEST, Duration.ofSeconds(60), 20_000)) {
            awaitAcknowledged(load, 300);
            Files.createDirectories(images);
            long faultAt = System.nanoTime();
            Files.move(images, aside);
            Files.writeString(images, "not a directory");
            try {
                Thread.sleep(OUTAGE.toMillis()); // the outage under test lasts this long
            } finally {
                Files.delete(images);
                Files.move(aside, images);
            }
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.secondsToFirst2xxAfter(back) >= 0);
            double recover = load.secondsToFirst2xxAfter(back); // writable again -> first 2xx to a camera
            awaitAcknowledged(load, load.acknowledged().size() + 300);
            load.close();
            statuses = load.statuses();
            duringFault = load.statusesAnsweredBetween(faultAt, back);
            withoutRetryAfter = load.withoutRetryAfter();
            t = awaitDelivered("picture-unwritable", load.acknowledged(), since, recover, DRAINED_WITHIN);
        }
        long pictures = pictureFiles(images).size();
        long orphans = orphanPictures(images);
        System.out.printf("fault=picture-unwritable answers=%s answersWhileUnwritable=%s 503WithoutRetryAfter=%d pictures=%d orphanPictures=%d%n",
                statuses, duringFault, withoutRetryAfter, pictures, orphans);
        assertNothingLostOrDead(t);
        assertThat(t.deliveredUnique()).as("acknowledged reads NAS accepted").isEqualTo(t.acknowledged());
        assertThat(statuses.keySet()).as("answers: 200 or 503 only (no 500, no answer-less close)").containsOnly(200, 503);
        assertThat(duringFault).as("cameras told to come back while pictures could not be written").containsKey(503);
        assertThat(withoutRetryAfter).as("503s without Retry-After").isZero();
        assertThat(orphans).as("picture files whose read is not stored").isZero();
    }

    /**
     * Issue 11 item 2: reads with 1 MB pictures while NAS is slow (2 s a request): delivery streams bounded batches,
     * so the hub's memory stays bounded (RSS < 1 GiB with -Xmx512m), and a slow answer is not a re-send (duplicates
     * at most the documented bound; 0 expected while NAS answers within the timeout).
     */
    @Test
    @Order(12)
    void nasSlowWithBigPictures() throws Exception {
        ensureUp();
        Instant since = Instant.now();
        nas.reset();
        Tally t;
        long sentToNas;
        nas.faults(new Faults(Faults.Mode.SLOW, 0, 2000, null, null, null));
        try (Load load = Load.withPictures(ingestUrl(), 4, 1, Duration.ofSeconds(60), 1_000_000)) {
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledged().size() >= BIG_PICTURE_READS);
                load.close();
                // slow long enough for every worker to have sent big batches into it twice
                await().atMost(Duration.ofSeconds(60)).until(() -> nas.stat("requests") >= 8);
            } finally {
                load.close();
                nas.faults(Faults.NONE);
            }
            sentToNas = nas.stat("requests");
            t = awaitDelivered("nas-slow-1mb-pictures", load.acknowledged(), since, -1, Duration.ofSeconds(60));
        }
        System.out.printf("fault=nas-slow-1mb-pictures requestsWhileSlow=%d pictureBytes=1000000%n", sentToNas);
        assertNothingLostOrDead(t, BIG_PICTURE_READS);
        assertThat(t.deliveredUnique()).as("acknowledged reads NAS accepted").isEqualTo(t.acknowledged());
        assertThat(t.backlog()).as("reads still waiting for delivery").isZero();
        assertThat(t.rssPeakMb()).as("peak RSS of the hub (MB)").isPositive().isLessThan(1024);
    }

    // ---- the hub itself is killed ----

    @Test
    @Order(20)
    void hubKilledDuringIngest() throws Exception {
        ensureUp();
        Instant since = Instant.now();
        nas.reset();
        Set<UUID> acked = killDuringLoad(1500, () -> true);
        StartWatch.Figures restart = launch("restart-after-kill9");
        Tally t = awaitDelivered("hub-kill9-ingest", acked, since, restart.first2xxSeconds(), DRAINED_WITHIN);
        assertNothingLostOrDead(t);
        assertAllDeliveredAndNothingLeftWaitingTheLease(t); // target: fails on today's code if a batch was in flight
    }

    /**
     * Killed while NAS is slow (2 s a request): the batches in flight stay leased to a worker that is gone. Target
     * (issue 11 item 8): sent again soon after the restart, not after the 5-minute lease. Fails on today's code.
     */
    @Test
    @Order(21)
    void hubKilledDuringASlowDrain() throws Exception {
        ensureUp();
        Instant since = Instant.now();
        nas.reset();
        nas.faults(new Faults(Faults.Mode.SLOW, 0, 3000, null, null, null));
        Set<UUID> acked = killDuringLoad(2000, () -> nas.stat("requests") >= 4);
        Thread.sleep(3500); // NAS finishes, and accepts, what the dead hub had sent
        nas.faults(Faults.NONE);
        StartWatch.Figures restart = launch("restart-after-kill9-slow-drain");
        Tally t = awaitDelivered("hub-kill9-slow-drain", acked, since, restart.first2xxSeconds(), DRAINED_WITHIN);
        assertNothingLostOrDead(t);
        assertAllDeliveredAndNothingLeftWaitingTheLease(t);
    }

    /**
     * Until the hub can take reads a camera must hear "try again" (503 + Retry-After), never 404, which cameras treat
     * as final (issue 11 item 4). Looks at every start of this class. Target: fails on today's code.
     */
    @Test
    @Order(30)
    void noCameraHearsNotFoundWhileTheHubStarts() throws Exception {
        ensureUp();
        assertThat(starts).allSatisfy(f -> assertThat(f.first2xxSeconds()).as("a read acknowledged after the start").isPositive());
        int notFound = starts.stream().mapToInt(StartWatch.Figures::notFound).sum();
        assertThat(notFound).as("404 answers to /ingest/nas-json during %d starts: %s", starts.size(), starts).isZero();
    }

    // ---- harness ----

    private interface Step {
        void run() throws Exception;
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    /** The ids PostgreSQL holds for reads of these plates. */
    private Set<UUID> readIdsOfPlates(List<String> plates) {
        Set<UUID> ids = ConcurrentHashMap.newKeySet();
        db.query("select read_id from nas_read where vrm = any(?)", rs -> {
            ids.add(UUID.fromString(rs.getString(1)));
        }, (Object) plates.toArray(String[]::new));
        return ids;
    }

    /** Regular, not hidden files below {@code home} (waiting uploads). */
    private static int filesIn(Path home) throws IOException {
        return files(home).size();
    }

    private static List<Path> pictureFiles(Path images) throws IOException {
        return files(images);
    }

    /**
     * Regular, not hidden files below {@code dir}, walked again when the hub moved or deleted one during the walk (it
     * works on these folders while the test looks).
     */
    private static List<Path> files(Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> s = Files.walk(dir)) {
                return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /** Picture files ({@code <day>/<readId>-<kind>}) whose read PostgreSQL does not hold. */
    private long orphanPictures(Path images) throws IOException {
        List<String> ids = pictureFiles(images).stream().map(f -> f.getFileName().toString())
                .filter(n -> n.length() > 36).map(n -> n.substring(0, 36)).distinct().toList();
        Integer held = db.queryForObject("select count(*) from nas_read where read_id = any(?::uuid[])", Integer.class,
                (Object) ids.toArray(String[]::new));
        long unnamed = pictureFiles(images).stream().filter(f -> f.getFileName().toString().length() <= 36).count();
        return ids.size() - (held == null ? 0 : held) + unnamed;
    }

    private String ingestUrl() {
        return hub.url("/ingest/nas-json");
    }

    /** Launches the hub with a {@link StartWatch} camera; returns when it is up and that camera heard a 2xx. */
    private StartWatch.Figures launch(String what) throws Exception {
        var watch = StartWatch.watch("http://localhost:" + port + "/ingest/nas-json", startAcks, Duration.ofSeconds(180));
        List<String> args = new ArrayList<>(List.of(REQUEST_TIMEOUT, BATCH_BYTES));
        args.addAll(List.of(SHORT_OUTAGE_WAITS));
        args.addAll(List.of("--anpr.ftp.enabled=true", "--anpr.ftp.port=" + ftpPort, "--anpr.ftp.passive-ports=0",
                "--anpr.ftp.address=127.0.0.1", "--anpr.ftp.accounts[0].user=" + FTP_USER,
                "--anpr.ftp.accounts[0].password-hash=" + FTP_HASH, "--anpr.ftp.accounts[0].folder=" + FTP_FOLDER,
                "--anpr.ftp.accounts[0].feed=hikvision-ftp",
                "--logging.level.org.apache.ftpserver.impl.PassivePorts=ERROR"));
        hub = HubProcess.start(dir, port, Map.of("ANPR_DB_URL", pg.jdbcUrl(), "ANPR_NAS_URL", nas.nasUrl()),
                args.toArray(String[]::new));
        hub.waitUntilUp(Duration.ofSeconds(180));
        StartWatch.Figures f = watch.get(180, TimeUnit.SECONDS);
        starts.add(f);
        System.out.println(f.line(what));
        return f;
    }

    private void ensureUp() throws Exception {
        if (!hub.isAlive()) {
            launch("start");
        }
    }

    /** Camera load until {@code acks} reads are acknowledged and {@code also} holds; then SIGKILL; every ack stored. */
    private Set<UUID> killDuringLoad(int acks, Condition also) throws Exception {
        Load load = Load.start(ingestUrl(), CAMERAS, READS_PER_REQUEST, Duration.ofSeconds(30));
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> load.acknowledged().size() >= acks && also.met());
            hub.kill9();
        } finally {
            load.close();
        }
        Tally atKill = Tally.of("at-kill", load.acknowledged(), db, nas, Instant.EPOCH, -1, -1);
        assertThat(atKill.acknowledged()).isGreaterThanOrEqualTo(acks);
        assertThat(atKill.lost()).as("acknowledged reads missing from PostgreSQL right after kill -9").isZero();
        return load.acknowledged();
    }

    /** Camera load; the fault for {@link #OUTAGE}; its removal; recovery; load stopped; figures once delivered. */
    private Tally outage(String fault, Step inject, Step remove) throws Exception {
        Instant since = Instant.now();
        nas.reset();
        try (Load load = Load.start(ingestUrl(), CAMERAS, READS_PER_REQUEST, Duration.ofSeconds(60))) {
            awaitAcknowledged(load, 300);
            inject.run();
            Thread.sleep(OUTAGE.toMillis()); // the outage under test lasts this long
            remove.run();
            long back = System.nanoTime(); // the fault is gone (PostgreSQL accepts connections again)
            await().atMost(Duration.ofSeconds(60)).until(() -> load.secondsToFirst2xxAfter(back) >= 0);
            double recover = load.secondsToFirst2xxAfter(back); // PostgreSQL back -> first 2xx to a camera
            awaitAcknowledged(load, load.acknowledged().size() + 300);
            load.close();
            System.out.println("fault=" + fault + " answers=" + load.statuses());
            return awaitDelivered(fault, load.acknowledged(), since, recover, DRAINED_WITHIN);
        }
    }

    private static void awaitAcknowledged(Load load, int atLeast) {
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledged().size() >= atLeast);
    }

    /** Waits up to {@code limit} until NAS holds every acknowledged read and nothing stored since {@code since} is pending. */
    private Tally awaitDelivered(String fault, Set<UUID> acked, Instant since, double recover, Duration limit) {
        return awaitDelivered(fault, acked, acked.size(), since, recover, limit);
    }

    /** As above, for {@code acknowledgements} whose read ids the cameras were not told (FTP): {@code acked} are those stored. */
    private Tally awaitDelivered(String fault, Set<UUID> acked, int acknowledgements, Instant since, double recover, Duration limit) {
        try {
            await().atMost(limit).pollInterval(Duration.ofMillis(500)).until(() -> Tally.of(fault, acked, db, nas, since, recover, -1),
                    t -> t.deliveredUnique() == t.acknowledged() && t.backlog() == 0);
        } catch (ConditionTimeoutException e) {
            // the figures below say what is missing
        }
        Tally t = Tally.of(fault, acked, db, nas, since, recover, hub.rssPeakMb()).acknowledging(acknowledgements);
        System.out.println(t.line());
        if (t.backlog() > 0) {
            System.out.println("fault=" + fault + " backlog " + Tally.describeBacklog(db, nas, since));
        }
        return t;
    }

    /** What must hold today and always: nothing acknowledged lost, no dead letters, duplicates within the bound. */
    private static void assertNothingLostOrDead(Tally t) {
        assertNothingLostOrDead(t, 601);
    }

    private static void assertNothingLostOrDead(Tally t, int atLeast) {
        assertThat(t.acknowledged()).as("reads acknowledged").isGreaterThanOrEqualTo(atLeast);
        assertThat(t.lost()).as("acknowledged reads missing from PostgreSQL").isZero();
        assertThat(t.deadLetters()).as("dead letters made by the fault").isZero();
        assertThat(t.nasDuplicates()).as("reads NAS was sent twice").isLessThanOrEqualTo(DUPLICATE_BOUND);
    }

    /**
     * Target (issue 11 item 8): within {@link #DRAINED_WITHIN} of recovery NAS has every acknowledged read and no batch
     * is left leased to a worker that died or could not record NAS's answer, waiting out the 5-minute lease.
     */
    private static void assertAllDeliveredAndNothingLeftWaitingTheLease(Tally t) {
        assertThat(t.backlog()).as("reads still PENDING %d s after recovery (leased: sent to NAS when the lease ends,"
                + " a duplicate for those NAS already has)", DRAINED_WITHIN.toSeconds()).isZero();
        assertThat(t.deliveredUnique()).as("acknowledged reads NAS accepted").isEqualTo(t.acknowledged());
    }
}
