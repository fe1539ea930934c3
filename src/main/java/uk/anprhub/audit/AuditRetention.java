package uk.anprhub.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import uk.anprhub.store.ClusterLocks;

/**
 * The audit log's own retention ({@code anpr.audit.retention}, default two years; reads' retention never touches
 * it): the database function {@code audit_prune} deletes the oldest rows and records an {@code audit.pruned} row, so
 * the chain stays verifiable from the oldest row kept.
 */
class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final JdbcTemplate jdbc;
    private final AuditProperties props;
    private final ClusterLocks locks;

    AuditRetention(JdbcTemplate jdbc, AuditProperties props, ClusterLocks locks) {
        this.jdbc = jdbc;
        this.props = props;
        this.locks = locks;
    }

    @Scheduled(initialDelayString = "${anpr.audit.prune-initial-delay:PT5M}", fixedDelayString = "${anpr.audit.prune-interval:PT6H}")
    void run() {
        try {
            // a cluster singleton: one hub prunes per interval (the audit.pruned row is written once)
            locks.runOnce("audit-prune", ClusterLocks.everyPeriod(props.pruneInterval()), this::prune);
        } catch (RuntimeException e) {
            log.error("Audit retention failed ({}); it runs again in {}", e.getClass().getSimpleName(), props.pruneInterval());
        }
    }

    long prune() {
        Long n = jdbc.queryForObject("select audit_prune(make_interval(secs => ?))", Long.class, (double) props.retention().toSeconds());
        if (n != null && n > 0) {
            log.info("Audit retention: deleted {} audit row(s) older than {}", n, props.retention());
        }
        return n == null ? 0 : n;
    }
}
