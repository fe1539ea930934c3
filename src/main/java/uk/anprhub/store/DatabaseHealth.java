package uk.anprhub.store;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Health component {@code db}, answered from cached state: a background thread asks the database every interval;
 * {@link #health()} never touches it, so health answers at once during an outage (a load balancer's probe must not
 * wait on the thing it probes). DOWN when the last check failed or no check finished for three intervals (a frozen
 * server does not answer at all). Raw JDBC: {@link Connection#isValid} is the check.
 */
final class DatabaseHealth implements HealthIndicator, AutoCloseable {

    private record Check(long atNanos, boolean ok, String error) {
    }

    private final DataSource dataSource;
    private final Duration interval;
    private final ScheduledExecutorService checker;
    private volatile Check last;
    private volatile long lastOkNanos;

    DatabaseHealth(DataSource dataSource, Duration interval) {
        this.dataSource = dataSource;
        this.interval = interval;
        this.last = new Check(System.nanoTime(), true, null);
        this.lastOkNanos = last.atNanos;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anpr-db-health");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try (Connection c = dataSource.getConnection()) {
            boolean ok = c.isValid((int) Math.max(1, interval.toSeconds()));
            last = new Check(System.nanoTime(), ok, ok ? null : "no answer");
            if (ok) {
                lastOkNanos = last.atNanos();
            }
        } catch (SQLException | RuntimeException e) { // the class and SQLState only: driver texts can quote values
            String state = e instanceof SQLException s && s.getSQLState() != null ? " (SQLState " + s.getSQLState() + ")" : "";
            last = new Check(System.nanoTime(), false, e.getClass().getSimpleName() + state);
        }
    }

    @Override
    public Health health() {
        Check c = last;
        long sinceOk = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastOkNanos);
        boolean stale = sinceOk > 3 * interval.toMillis();
        Health.Builder h = c.ok() && !stale ? Health.up() : Health.down();
        if (!c.ok()) {
            h.withDetail("error", c.error());
        } else if (stale) {
            h.withDetail("error", "no answer for " + sinceOk / 1000 + " s");
        }
        return h.withDetail("checkedMsAgo", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c.atNanos())).build();
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
