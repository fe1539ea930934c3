package uk.anprhub.store;

import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Optional;

/**
 * Cluster singletons: N hubs on one database run a job of this kind once per period between them. ShedLock's JDBC
 * provider over the {@code shedlock} table (V9), the lease taken and compared with the database's clock, so a hub
 * with a wrong clock neither steals nor starves. A hub that dies holding a lease blocks the job until the lease ends
 * ({@code atMost}); docs/operations.md has the table of which jobs are singletons and why.
 */
public final class ClusterLocks {

    private static final Logger log = LoggerFactory.getLogger(ClusterLocks.class);

    private final LockProvider provider;
    private final LockingTaskExecutor executor;

    public ClusterLocks(JdbcTemplate jdbc) {
        this.provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(jdbc).withTableName("shedlock").usingDbTime().build());
        this.executor = new DefaultLockingTaskExecutor(provider);
    }

    /**
     * The leases of a job that every hub tries every {@code period}: held at least 9/10 of the period (so the
     * cluster runs it at most about once a period, while a hub whose own timer runs a little early is not turned
     * away), and at most the period or 15 minutes, whichever is longer (the job must finish within it).
     */
    public static Lease everyPeriod(Duration period) {
        Duration atLeast = period.multipliedBy(9).dividedBy(10);
        Duration atMost = period.compareTo(Duration.ofMinutes(15)) > 0 ? period : Duration.ofMinutes(15);
        return new Lease(atLeast, atMost);
    }

    /** Runs {@code task} here if no other hub holds or recently held {@code job}'s lease; true if it ran. */
    public boolean runOnce(String job, Lease lease, Runnable task) {
        LockingTaskExecutor.TaskResult<Boolean> r;
        try {
            r = executor.executeWithLock(() -> {
                log.info("Cluster job {} runs on this hub", job);
                task.run();
                return true;
            }, config(job, lease));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (!r.wasExecuted()) {
            log.debug("Cluster job {}: another hub holds its lease", job);
        }
        return r.wasExecuted();
    }

    /** The lease of {@code job} if free (for work that is not a Runnable, e.g. a Camel poll); unlock when done. */
    public Optional<SimpleLock> tryLock(String job, Lease lease) {
        return provider.lock(config(job, lease));
    }

    private static LockConfiguration config(String job, Lease lease) {
        return new LockConfiguration(ClockProvider.now(), job, lease.atMost(), lease.atLeast());
    }

    /** How long a run keeps others away at least, and at most (if the hub dies holding it). */
    public record Lease(Duration atLeast, Duration atMost) {
    }
}
