package uk.anprhub.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.support.TestDatabase;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Daily partitions and retention on a real PostgreSQL, with a clock the test moves. */
class PartitionsIT {

    TestDatabase db;
    JdbcTemplate jdbc;

    @TempDir
    Path imageRoot;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.start();
        jdbc = new JdbcTemplate(db.dataSource());
    }

    @AfterEach
    void stop() throws Exception {
        db.close();
    }

    @Test
    void hubsCreatingTheSameDaysAtTheSameMomentAllSucceed() throws Exception {
        // what two hubs started together on one database do: before the advisory lock, one of them could fail with a
        // unique violation in the catalogue (CREATE TABLE IF NOT EXISTS is not safe against a concurrent create)
        FileImageStore images = new FileImageStore(imageRoot);
        for (int round = 0; round < 5; round++) {
            Instant day = Instant.parse("2030-01-01T12:00:00Z").plus(java.time.Duration.ofDays(40L * round));
            int hubs = 4;
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(hubs);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(hubs);
            try {
                List<java.util.concurrent.Future<?>> starts = new java.util.ArrayList<>();
                for (int h = 0; h < hubs; h++) {
                    Partitions p = new Partitions(jdbc, images, Clock.fixed(day, ZoneOffset.UTC), 7, 3);
                    starts.add(pool.submit(() -> {
                        together.await();
                        p.ensure();
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : starts) {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS); // throws if any start failed
                }
            } finally {
                pool.shutdownNow();
            }
            LocalDate d = day.atOffset(ZoneOffset.UTC).toLocalDate();
            assertThat(partitions("nas_read")).containsAll(days(d.minusDays(7).toString(), d.plusDays(3).toString()));
        }
    }

    @Test
    void retentionDropsExactlyTheExpiredDaysAndTheirImages() {
        Instant start = Instant.parse("2026-03-10T12:00:00Z");
        FileImageStore images = new FileImageStore(imageRoot);
        Partitions p = new Partitions(jdbc, images, Clock.fixed(start, ZoneOffset.UTC), 7, 3);
        p.ensure();
        // Partitions exist from 7 days back to 3 ahead: 2026-03-03 .. 2026-03-13.
        assertThat(partitions("nas_read")).containsExactlyElementsOf(days("2026-03-03", "2026-03-13"));

        for (LocalDate d = LocalDate.parse("2026-03-03"); !d.isAfter(LocalDate.parse("2026-03-10")); d = d.plusDays(1)) {
            UUID id = insertRead(d.atTime(13, 0).toInstant(ZoneOffset.UTC));
            images.put(d, id, "plate", new byte[]{1});
        }

        insertRead(Instant.parse("2026-03-05T11:00:00Z")); // will be 7 days + 1 h old

        // Two days later (03-12 12:00), 03-03 and 03-04 are wholly older than 7 days; 03-05 straddles the cut-off.
        Partitions later = new Partitions(jdbc, images, Clock.fixed(start.plus(java.time.Duration.ofDays(2)), ZoneOffset.UTC), 7, 3);
        List<LocalDate> dropped = later.applyRetention();

        assertThat(dropped).containsExactly(LocalDate.parse("2026-03-03"), LocalDate.parse("2026-03-04"));
        assertThat(partitions("nas_read")).doesNotContain("20260303", "20260304").contains("20260305", "20260313");
        assertThat(partitions("raw_message")).doesNotContain("20260303", "20260304");
        assertThat(imageRoot.resolve("2026-03-03")).doesNotExist();
        // Inside the oldest kept day, rows older than exactly 7 days are deleted too (the legal bound).
        assertThat(jdbc.queryForObject("select count(*) from nas_read where captured_at < ?", Integer.class,
                Timestamp.from(Instant.parse("2026-03-05T12:00:00Z")))).isZero();
        assertThat(jdbc.queryForObject("select count(*) from nas_read", Integer.class)).isEqualTo(6); // 03-05 13:00 .. 03-10
        assertThat(imageRoot.resolve("2026-03-06")).isDirectory();
    }

    private UUID insertRead(Instant at) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into nas_read (read_id, idempotency_key, captured_at, received_at, camera_id, feed, vrm, body)
                values (?, ?, ?, ?, 'C1', 'test', 'AB12CDE', '{}'::jsonb)""", id, id.toString(), Timestamp.from(at), Timestamp.from(at));
        return id;
    }

    private List<String> partitions(String table) {
        return jdbc.queryForList("""
                select substring(c.relname from '\\d{8}$') from pg_inherits i join pg_class c on c.oid = i.inhrelid
                join pg_class p on p.oid = i.inhparent where p.relname = ? order by 1""", String.class, table);
    }

    private static List<String> days(String from, String to) {
        return LocalDate.parse(from).datesUntil(LocalDate.parse(to).plusDays(1))
                .map(d -> d.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)).toList();
    }
}
