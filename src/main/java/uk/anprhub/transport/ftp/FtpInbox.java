package uk.anprhub.transport.ftp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.Reason;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The hub side of FTP uploads, wired from its parts: the {@link UploadTracker} (which files are being uploaded, told
 * by the Ftplet) and {@link UploadLimits} (quota, free space), the {@link InboxQueue} of files known and not yet
 * settled ({@code max-pending-files}; beyond it uploads are refused with 452 so the camera keeps them), the
 * {@link InboxWorkers} that hand each to the {@link FileSettler} (moved to {@code done/} or {@code failed/} only once
 * settled; a file the store could not take stays and is retried after the {@link StoreBackoff}), the
 * {@link HomeScanner} (files found in the homes once quiet) and the {@link ArchiveRetention}. It owns the meters
 * and the scheduler and runs before the FTP server starts and after it stops.
 *
 * <p>File names carry plates (Hikvision): they are never logged.
 */
public final class FtpInbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FtpInbox.class);

    /** What the inbox needs from the ingest core (the hub passes {@code IngestService}). */
    public interface Ingest {
        IngestOutcome ingest(RawMessage message);

        /** Quarantine a message refused before decoding (too large). */
        IngestOutcome refuse(RawMessage message, Reason reason, String detail);

        /** The camera ids (a trailing {@code *}: prefix) the account may post reads for; empty: none. */
        default List<String> allowedCameras(Account account) {
            return account.cameras();
        }
    }

    /**
     * An account as the inbox sees it: its home folder, the folder name that identifies the camera, its feed, the
     * cameras it is bound to (empty: derived by the {@link Ingest}), and its quota of waiting files and bytes.
     */
    public record Account(String user, String folder, String feed, Path home, List<String> cameras, int quotaFiles,
                          long quotaBytes) {
        public Account {
            cameras = List.copyOf(cameras);
        }
    }

    private final List<Account> accounts;
    private final Path archive;
    private final Duration scanInterval;
    private final Duration cleanupInterval;
    private final InboxQueue queue;
    private final UploadTracker uploads;
    private final UploadLimits limits;
    private final InboxWorkers workers;
    private final HomeScanner scanner;
    private final ArchiveRetention retention;
    private volatile ScheduledExecutorService scheduler;

    public FtpInbox(Ingest ingest, List<Account> accounts, Path archive, Clock clock, FtpProperties props,
                    int retentionDays, MeterRegistry meters) {
        this.accounts = List.copyOf(accounts);
        this.archive = archive.toAbsolutePath().normalize();
        this.scanInterval = props.scanInterval();
        this.cleanupInterval = props.cleanupInterval();
        Counter refusedFull = files("refused-full", meters);
        queue = new InboxQueue(Math.max(1, props.maxPendingFiles()), props.ignore());
        uploads = new UploadTracker(queue, refusedFull);
        limits = new UploadLimits(props.minFreeSpace().toBytes(), refusedFull, files("refused-quota", meters));
        StoreBackoff backoff = new StoreBackoff(queue, props.retryInitial(), props.retryMax(), files("retry", meters),
                () -> scheduler);
        InboxArchive moves = new InboxArchive(this.archive, clock);
        FileSettler settler = new FileSettler(ingest, queue, backoff, moves, clock, props.maxFileSize().toBytes(),
                files("done", meters), files("failed", meters));
        workers = new InboxWorkers(Math.max(1, props.workers()), queue, uploads, backoff, settler);
        scanner = new HomeScanner(this.accounts, queue, uploads, moves, clock, props.quietPeriod(), props.ignoredMaxAge(),
                files("ignored-moved", meters));
        retention = new ArchiveRetention(this.archive, clock, Duration.ofDays(retentionDays));
        Gauge.builder("anpr_ftp_files_pending", queue, InboxQueue::size).register(meters);
    }

    private static Counter files(String outcome, MeterRegistry meters) {
        return Counter.builder("anpr_ftp_files").tag("outcome", outcome).register(meters);
    }

    @Override
    public void start() {
        for (Account a : accounts) {
            try {
                Files.createDirectories(a.home());
            } catch (IOException e) {
                throw new IllegalStateException("cannot create FTP home of account " + a.user(), e);
            }
        }
        workers.start();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anpr-ftp-scan");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(scanner::scanQuietly, 0, scanInterval.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(retention::cleanQuietly, cleanupInterval.toMillis(), cleanupInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("FTP inbox: {} account(s), {} worker(s), archive {}", accounts.size(), workers.count(), archive);
    }

    @Override
    public void stop() {
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdownNow();
        }
        workers.stop();
    }

    @Override
    public boolean isRunning() {
        return workers.running();
    }

    /** Started before the FTP server, stopped after it. */
    @Override
    public int getPhase() {
        return EmbeddedFtpServer.PHASE - 1;
    }

    /** What the Ftplet and the file system report uploads to. */
    UploadTracker uploads() {
        return uploads;
    }

    /** What the Ftplet checks before an upload starts. */
    UploadLimits limits() {
        return limits;
    }

    /** Files known and not yet settled. */
    public int pending() {
        return queue.size();
    }

    public List<Account> accounts() {
        return accounts;
    }

    public Path archive() {
        return archive;
    }

    /** Deletes done/ and failed/ files older than the retention (personal data), then empty day folders. */
    public int clean() {
        return retention.clean();
    }
}
