package uk.anprhub.transport.ftp;

import net.javacrumbs.shedlock.core.SimpleLock;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.component.file.remote.RemoteFilePollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import uk.anprhub.store.ClusterLocks;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The remote FTP/SFTP poller as a cluster singleton (routes/anpr-ftp-poll.camel.yaml, {@code pollStrategy}): a poll
 * begins only on the hub holding the poller's ShedLock lease, and the lease is given back after the poll, when every
 * file it took has been committed and moved, so two hubs never fetch the same file. Why not Camel's {@code master:}
 * component: it needs a cluster service (ZooKeeper, Consul, Kubernetes leases...), a server the hub does not
 * otherwise need; the database the hubs already share holds the lease instead. A hub killed mid-poll leaves its
 * files where they were (they move only after commit); another hub fetches them once the lease ends, and the reads
 * already committed come back as duplicates of the idempotency key, not as second copies.
 */
@Component("anprClusterPollStrategy")
public final class ClusterPollStrategy extends RemoteFilePollingConsumerPollStrategy {

    private static final Logger log = LoggerFactory.getLogger(ClusterPollStrategy.class);

    /** Longest poll: up to 100 files, each possibly waiting out a retry delay. */
    static final ClusterLocks.Lease LEASE = new ClusterLocks.Lease(Duration.ZERO, Duration.ofMinutes(10));

    private final ClusterLocks locks;
    private final Map<Consumer, Taken> held = new ConcurrentHashMap<>();
    /** Leases whose give-back failed (the database was away): given back before the next poll, or the poller would
     * stand still until the lease's 10 minutes ran out. */
    private final Map<Consumer, Taken> unreleased = new ConcurrentHashMap<>();
    /** Pollers whose last lease could not be taken: said once when it starts and once when it ends, not every poll. */
    private final Set<Consumer> failing = ConcurrentHashMap.newKeySet();

    /** A lease and when it was taken (System.nanoTime). */
    private record Taken(SimpleLock lock, long at) {
    }

    public ClusterPollStrategy(ClusterLocks locks) {
        this.locks = locks;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        String route = routeOf(consumer);
        try {
            Taken left = unreleased.get(consumer);
            if (left != null) {
                // past the lease's end the row may be another hub's (locked_by is the host name): leave it alone
                if (System.nanoTime() - left.at() < LEASE.atMost().toNanos()) {
                    left.lock().unlock();
                    log.info("FTP poller {}: the lease left taken is given back now that the database answers", route);
                }
                unreleased.remove(consumer);
            }
            long at = System.nanoTime();
            boolean mine = locks.tryLock("poll-" + route, LEASE).map(lock -> {
                held.put(consumer, new Taken(lock, at));
                return true;
            }).orElse(false);
            if (failing.remove(consumer)) {
                log.info("FTP poller {}: its lease can be taken again; polling resumes", route);
            }
            return mine;
        } catch (RuntimeException e) { // the database away: no poll this time, files stay on the remote server
            if (failing.add(consumer)) {
                log.warn("FTP poller {}: its lease cannot be taken ({}); no poll until it can, files stay on the server",
                        route, e.getClass().getSimpleName());
            }
            return false;
        }
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        release(consumer);
        super.commit(consumer, endpoint, polledMessages);
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception e) throws Exception {
        release(consumer);
        return super.rollback(consumer, endpoint, retryCounter, e);
    }

    private void release(Consumer consumer) {
        Taken taken = held.remove(consumer);
        if (taken != null) {
            try {
                taken.lock().unlock();
            } catch (RuntimeException e) {
                unreleased.put(consumer, taken);
                log.warn("FTP poller {}: lease not given back ({}); retried before the next poll", routeOf(consumer),
                        e.getClass().getSimpleName());
            }
        }
    }

    private static String routeOf(Consumer consumer) {
        return consumer instanceof RouteIdAware r && r.getRouteId() != null ? r.getRouteId() : "ftp-poll";
    }
}
