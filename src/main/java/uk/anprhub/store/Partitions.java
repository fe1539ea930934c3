package uk.anprhub.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Daily partitions of the reads and raw messages, created ahead, and retention. A day is kept while any part of
 * it is inside the window ({@code retentionDays}); once the whole day is older it is detached and dropped, its
 * images deleted, and the drop logged. Within the oldest kept day, rows (and their images) older than the window
 * are deleted too, so nothing outlives the window by more than the retention job's period (hourly). Quarantine
 * rows older than the window are deleted.
 */
public final class Partitions {

    private static final Logger log = LoggerFactory.getLogger(Partitions.class);
    /** Advisory lock key of {@link #ensure()} ("anpr" "part" as two 32-bit words): one creator at a time per database. */
    private static final long ENSURE_LOCK = 0x616e7072_70617274L;
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Pattern NAME = Pattern.compile("(nas_read|raw_message|delivery)_(\\d{8})");
    /** delivery (per-read retries, dead letters, replays: the cursor needs no row per read) is dropped with nas_read. */
    private static final List<String> TABLES = List.of("nas_read", "raw_message", "delivery");

    private final JdbcTemplate jdbc;
    private final ImageStore images;
    private final Clock clock;
    private final int retentionDays;
    private final int daysAhead;

    public Partitions(JdbcTemplate jdbc, ImageStore images, Clock clock, int retentionDays, int daysAhead) {
        this.jdbc = jdbc;
        this.images = images;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.daysAhead = daysAhead;
    }

    /** The first day still inside the window: older days are dropped, reads older are refused at ingest. */
    public LocalDate oldestKeptDay() {
        return clock.instant().minus(java.time.Duration.ofDays(retentionDays)).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /**
     * Creates the partitions of every day from the oldest kept one to {@code daysAhead} days from today, one hub at a
     * time (a session advisory lock): {@code CREATE TABLE IF NOT EXISTS} is not safe against another session creating
     * the same table at the same moment, which failed the start of one of two hubs started together on one database.
     * Each create commits on its own: all in one transaction held the parents' locks together and deadlocked with
     * the hub's own queries.
     */
    public void ensure() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<String> creates = new ArrayList<>();
        for (LocalDate d = oldestKeptDay(); !d.isAfter(today.plusDays(daysAhead)); d = d.plusDays(1)) {
            for (String table : TABLES) {
                creates.add(createSql(table, d));
            }
        }
        jdbc.execute((ConnectionCallback<Void>) c -> {
            try (Statement s = c.createStatement()) {
                s.execute("select pg_advisory_lock(" + ENSURE_LOCK + ")");
                try {
                    for (String sql : creates) {
                        s.execute(sql); // each on its own: a partition's locks on its parent are held only for its create
                    }
                } finally {
                    s.execute("select pg_advisory_unlock(" + ENSURE_LOCK + ")");
                }
            }
            return null;
        });
    }

    private static String createSql(String table, LocalDate day) {
        return "create table if not exists " + table + "_" + day.format(SUFFIX) + " partition of " + table
                + " for values from ('" + day + " 00:00:00+00') to ('" + day.plusDays(1) + " 00:00:00+00')";
    }

    /** Drops the days wholly outside the window; returns the days dropped. */
    public List<LocalDate> applyRetention() {
        LocalDate oldest = oldestKeptDay();
        List<LocalDate> dropped = new ArrayList<>();
        for (String name : jdbc.queryForList("""
                select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                join pg_class p on p.oid = i.inhparent where p.relname in ('nas_read', 'raw_message', 'delivery')""", String.class)) {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                continue;
            }
            LocalDate day = LocalDate.parse(m.group(2), SUFFIX);
            if (day.isBefore(oldest)) {
                long rows = jdbc.queryForObject("select count(*) from " + name, Long.class);
                jdbc.execute("alter table " + m.group(1) + " detach partition " + name);
                jdbc.execute("drop table " + name);
                log.info("Retention: dropped partition {} ({} rows) of {} — older than {} days", name, rows, day, retentionDays);
                if (m.group(1).equals("nas_read")) {
                    int files = images.deleteDay(day);
                    log.info("Retention: deleted {} image file(s) of {}", files, day);
                    dropped.add(day);
                }
            }
        }
        java.sql.Timestamp cutoff = java.sql.Timestamp.from(clock.instant().minus(java.time.Duration.ofDays(retentionDays)));
        List<java.util.Map<String, Object>> expired = jdbc.queryForList(
                "delete from nas_read where captured_at < ? returning read_id, captured_at", cutoff);
        for (var row : expired) {
            LocalDate day = ((java.sql.Timestamp) row.get("captured_at")).toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
            images.delete(day, (java.util.UUID) row.get("read_id"));
        }
        int deliveries = jdbc.update("delete from delivery where captured_at < ?", cutoff)
                + jdbc.update("delete from dead_letter where captured_at < ?", cutoff);
        int raw = jdbc.update("delete from raw_message where received_at < ?", cutoff);
        int q = jdbc.update("delete from quarantine where received_at < ?", cutoff);
        if (!expired.isEmpty() || raw > 0 || q > 0 || deliveries > 0) {
            log.info("Retention: deleted {} read(s), {} raw message(s), {} quarantine row(s), {} delivery/dead-letter row(s) older than {} days",
                    expired.size(), raw, q, deliveries, retentionDays);
        }
        return dropped.stream().sorted().toList();
    }
}
