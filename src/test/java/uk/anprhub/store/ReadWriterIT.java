package uk.anprhub.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser.Normalised;
import uk.anprhub.support.TestDatabase;
import uk.anprhub.support.TestReads;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group commit against a real PostgreSQL: acknowledgement after commit, bounded waiting, image writes. */
class ReadWriterIT {

    static TestDatabase db;
    static JdbcTemplate jdbc;
    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule());

    @TempDir
    Path images;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        jdbc = new JdbcTemplate(db.dataSource());
        new Partitions(jdbc, new FileImageStore(Path.of("target", "unused")), Clock.systemUTC(), 7, 2).ensure();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    static Normalised read(String key, byte[] plateImage) {
        Instant t = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        String vrm = TestReads.plate().replace(" ", "");
        return new Normalised(new NasRead(null, key, vrm, vrm, t, t.toString(), NasRead.TimeSource.DEVICE_UTC, Instant.now(),
                "MPS", "MPS-DEMO", "MPS-DEMO-0001", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, new NasRead.Ingest("test", "nas-json", "test", null), null), plateImage, null);
    }

    static RawMessage message() {
        return new RawMessage("{}".getBytes(), "test", "nas-json", "test", "application/json", Map.of(), null, null, null, Instant.now());
    }

    @Test
    void listenersAreToldWhatWasCommittedAfterTheCommitAndCannotFailOrHoldItUp() throws Exception {
        try (ReadWriter writer = new ReadWriter(db.dataSource(), new FileImageStore(images), MAPPER, 1, 100,
                Duration.ofMillis(1), 100)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.BlockingQueue<CommitListener.Committed> told = new java.util.concurrent.LinkedBlockingQueue<>();
            writer.addListener(reads -> {
                throw new IllegalStateException("a broken listener");
            });
            writer.addListener(reads -> {
                try {
                    release.await(); // a listener that hangs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                told.addAll(reads);
            });
            String key = "rw-listen-" + System.nanoTime();
            Normalised r = read(key, null);
            assertThat(writer.submit(message(), List.of(r)).get(10, TimeUnit.SECONDS).stored()).isEqualTo(1);
            assertThat(writer.submit(message(), List.of(r)).get(10, TimeUnit.SECONDS).duplicates())
                    .as("answered while the listener hangs").isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from nas_read where idempotency_key = ?", Long.class, key)).isEqualTo(1);
            release.countDown();
            CommitListener.Committed c = told.poll(10, TimeUnit.SECONDS);
            assertThat(new CommitListener.Committed(c.cameraId(), c.capturedAt(), c.receivedAt()))
                    .isEqualTo(new CommitListener.Committed("MPS-DEMO-0001", r.read().captureTimeUtc(), r.read().receivedTimeUtc()));
            assertThat(c.vrm()).as("hotlist matching needs the plate").isEqualTo(r.read().vrm());
            assertThat(c.readId()).isNotNull();
            assertThat(c.committedAt()).isNotNull();
            assertThat(c.toString()).doesNotContain(r.read().vrm());
            assertThat(told.poll(500, TimeUnit.MILLISECONDS)).as("a duplicate is not passed on").isNull();
            assertThat(c.confidencePct()).isNull();
            assertThat(c.vrmBestGuess()).isFalse();

            // camera health's share of poor reads: the read's confidence and whether it is the vendor's best guess
            NasRead q = read("rw-listen-q-" + System.nanoTime(), null).read();
            NasRead poor = new NasRead(null, q.idempotencyKey(), q.vrm(), q.vrm() + "?", q.captureTimeUtc(), q.captureTimeRaw(),
                    q.timeSource(), q.receivedTimeUtc(), q.feedId(), q.sourceId(), q.cameraId(), null, null, null, null, null,
                    42, null, null, null, null, null, null, null, null, q.ingest(), List.of("vrm-best-guess"));
            assertThat(writer.submit(message(), List.of(new Normalised(poor, null, null))).get(10, TimeUnit.SECONDS).stored())
                    .isEqualTo(1);
            CommitListener.Committed p = told.poll(10, TimeUnit.SECONDS);
            assertThat(p.confidencePct()).isEqualTo(42);
            assertThat(p.vrmBestGuess()).isTrue();
        }
    }

    /**
     * Issue 16 item 2: rows of another package (the delivery outbox) are written by a hook in the reads' own
     * transaction: told only the reads inserted (not the duplicates), and a hook that fails rolls the reads back and
     * fails their senders, so no read is acknowledged without its rows.
     */
    @Test
    void hooksWriteInTheReadsTransactionSeeOnlyNewReadsAndTheirFailureRollsTheReadsBack() throws Exception {
        List<InsertedReadsHook.InsertedRead> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();
        InsertedReadsHook hook = (c, reads) -> {
            try (Statement st = c.createStatement()) {
                assertThat(c.getAutoCommit()).as("inside the transaction").isFalse();
                st.execute("select 1");
            }
            if (fail.get()) {
                throw new java.sql.SQLException("hook refused", "57000");
            }
            told.addAll(reads);
        };
        try (ReadWriter writer = new ReadWriter(db.dataSource(), new FileImageStore(images), MAPPER, 1, 100,
                Duration.ofMillis(1), 100, null, List.of(hook))) {
            Normalised a = read("rw-hook-a-" + System.nanoTime(), null);
            Normalised b = read("rw-hook-b-" + System.nanoTime(), null);
            ReadWriter.Stored first = writer.submit(message(), List.of(a)).get(10, TimeUnit.SECONDS);
            ReadWriter.Stored second = writer.submit(message(), List.of(a, b)).get(10, TimeUnit.SECONDS);
            assertThat(second.duplicates()).isEqualTo(1);
            assertThat(told).extracting(InsertedReadsHook.InsertedRead::readId)
                    .containsExactly(first.readIds().get(0), second.readIds().get(1));
            assertThat(told.get(0).capturedAt()).isEqualTo(a.read().captureTimeUtc());
            assertThat(told.get(0).rowId()).isEqualTo(jdbc.queryForObject("select id from nas_read where read_id = ?", Long.class,
                    first.readIds().get(0)));

            fail.set(true);
            String key = "rw-hook-c-" + System.nanoTime();
            assertThatThrownBy(() -> writer.submit(message(), List.of(read(key, null))).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(java.sql.SQLException.class);
            assertThat(jdbc.queryForObject("select count(*) from nas_read where idempotency_key = ?", Long.class, key))
                    .as("rolled back with the hook").isZero();
        }
    }

    @Test
    void aSenderIsAnsweredOnlyAfterTheCommitAndTheBoundRefusesInsteadOfQueueing() throws Exception {
        try (ReadWriter writer = new ReadWriter(db.dataSource(), new FileImageStore(images), MAPPER, 1, 100,
                Duration.ofMillis(1), 10);
             Connection blocker = db.dataSource().getConnection()) {
            // Hold a lock that every insert needs: the store is "behind".
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("lock table nas_read in access exclusive mode");
            }
            List<CompletableFuture<ReadWriter.Stored>> waiting = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                waiting.add(writer.submit(message(), List.of(read("rw-" + i + "-" + System.nanoTime(), null))));
            }
            org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(2300)).until(() -> waiting.stream().noneMatch(CompletableFuture::isDone));
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            assertThatThrownBy(() -> writer.submit(message(), List.of(read("rw-over-" + System.nanoTime(), null))))
                    .isInstanceOf(StoreBusyException.class);

            blocker.rollback(); // the store catches up
            for (CompletableFuture<ReadWriter.Stored> f : waiting) {
                assertThat(f.get(10, TimeUnit.SECONDS).stored()).isEqualTo(1);
            }
            assertThat(writer.pendingReads()).isZero();
            assertThat(writer.submit(message(), List.of(read("rw-after-" + System.nanoTime(), null)))
                    .get(10, TimeUnit.SECONDS).stored()).isEqualTo(1);
        }
    }

    @Test
    void duplicatesWithinOneMessageAndAcrossWritersAreStoredOnce() throws Exception {
        try (ReadWriter writer = new ReadWriter(db.dataSource(), new FileImageStore(images), MAPPER, 4, 50,
                Duration.ofMillis(5), 10_000)) {
            String key = "dup-" + System.nanoTime();
            Normalised one = read(key, null);
            List<CompletableFuture<ReadWriter.Stored>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                futures.add(writer.submit(message(), List.of(one, one)));
            }
            int stored = 0;
            for (CompletableFuture<ReadWriter.Stored> f : futures) {
                stored += f.get(10, TimeUnit.SECONDS).stored();
            }
            assertThat(stored).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from nas_read where idempotency_key = ?", Integer.class, key)).isEqualTo(1);
        }
    }

    @Test
    void imagesOfStoredReadsAreWrittenBeforeTheAnswer() throws Exception {
        FileImageStore store = new FileImageStore(images);
        try (ReadWriter writer = new ReadWriter(db.dataSource(), store, MAPPER, 1, 10, Duration.ZERO, 100)) {
            Normalised r = read("img-" + System.nanoTime(), new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
            ReadWriter.Stored s = writer.submit(message(), List.of(r)).get(10, TimeUnit.SECONDS);
            var day = r.read().captureTimeUtc().atOffset(java.time.ZoneOffset.UTC).toLocalDate();
            assertThat(store.get(day, s.readIds().get(0), "plate")).containsExactly(0xFF - 256, 0xD8 - 256, 1, 2, 3);
        }
    }
}
