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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The hub side of FTP uploads: which files are ready, ingesting them with a bounded pool of workers, and moving
 * each to {@code done/} or {@code failed/} only once {@link FtpOutcomes#settled settled} (reads committed, or message
 * quarantined). A file whose message could not be settled (store down or behind: 503) stays where the camera
 * put it and is retried with back-off; nothing is deleted or moved before the commit.
 *
 * <p>A file is taken when its upload completed ({@link #endUpload}, called by the Ftplet after a 226), and by a
 * periodic scan of the home folders once unchanged for the quiet period (files present at start-up, uploads whose
 * completion was missed, files put there by other means). A file being uploaded is never read; an upload of a file
 * being ingested waits until that ingest finished. The files known and not yet settled are bounded
 * ({@code max-pending-files}); beyond that new uploads are refused (452) so the camera keeps them.
 *
 * <p>File names carry plates (Hikvision): they are never logged.
 */
public final class FtpInbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FtpInbox.class);
    private static final int EVIDENCE_BYTES = 64 * 1024;

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

    public enum Verdict { OK, FULL, BUSY }

    private enum State { QUEUED, PROCESSING, WAITING }

    private static final class Entry {
        final Path path;
        final Account account;
        String remoteAddr;
        State state = State.QUEUED;
        boolean tooLarge;
        int attempts;

        Entry(Path path, Account account, String remoteAddr) {
            this.path = path;
            this.account = account;
            this.remoteAddr = remoteAddr;
        }
    }

    private final Ingest ingest;
    private final List<Account> accounts;
    private final Path archive;
    private final Clock clock;
    private final int workerCount;
    private final int maxPending;
    private final long maxFileSize;
    private final Duration quietPeriod;
    private final Duration scanInterval;
    private final Duration retryInitial;
    private final Duration retryMax;
    private final long minFreeSpace;
    private final Duration retention;
    private final Duration cleanupInterval;
    private final List<PathMatcher> ignore;
    private final Duration ignoredMaxAge;

    private final Object lock = new Object();
    private final Map<Path, Entry> entries = new HashMap<>();
    private final Map<Path, UUID> uploading = new HashMap<>();
    private final Set<Path> incomplete = new HashSet<>();
    private final Set<Path> tooLarge = new HashSet<>();
    private final LinkedBlockingQueue<Path> ready = new LinkedBlockingQueue<>();

    private final Counter done;
    private final Counter failed;
    private final Counter retried;
    private final Counter refusedFull;
    private final Counter refusedQuota;
    private final Counter ignoredMoved;

    private volatile boolean running;
    private final List<Thread> workers = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    /** Back-off shared by all workers: while the store is unavailable, nobody hammers it. */
    private volatile long pausedUntilNanos;
    private int consecutiveFailures; // guarded by lock

    public FtpInbox(Ingest ingest, List<Account> accounts, Path archive, Clock clock, FtpProperties props,
                    int retentionDays, MeterRegistry meters) {
        this.ingest = ingest;
        this.accounts = List.copyOf(accounts);
        this.archive = archive.toAbsolutePath().normalize();
        this.clock = clock;
        this.workerCount = Math.max(1, props.workers());
        this.maxPending = Math.max(1, props.maxPendingFiles());
        this.maxFileSize = props.maxFileSize().toBytes();
        this.quietPeriod = props.quietPeriod();
        this.scanInterval = props.scanInterval();
        this.retryInitial = props.retryInitial();
        this.retryMax = props.retryMax();
        this.minFreeSpace = props.minFreeSpace().toBytes();
        this.retention = Duration.ofDays(retentionDays);
        this.cleanupInterval = props.cleanupInterval();
        this.ignoredMaxAge = props.ignoredMaxAge();
        this.ignore = props.ignore().stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        this.done = Counter.builder("anpr_ftp_files").tag("outcome", "done").register(meters);
        this.failed = Counter.builder("anpr_ftp_files").tag("outcome", "failed").register(meters);
        this.retried = Counter.builder("anpr_ftp_files").tag("outcome", "retry").register(meters);
        this.refusedFull = Counter.builder("anpr_ftp_files").tag("outcome", "refused-full").register(meters);
        this.refusedQuota = Counter.builder("anpr_ftp_files").tag("outcome", "refused-quota").register(meters);
        this.ignoredMoved = Counter.builder("anpr_ftp_files").tag("outcome", "ignored-moved").register(meters);
        Gauge.builder("anpr_ftp_files_pending", this, FtpInbox::pending).register(meters);
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    @Override
    public void start() {
        for (Account a : accounts) {
            try {
                Files.createDirectories(a.home());
            } catch (IOException e) {
                throw new IllegalStateException("cannot create FTP home of account " + a.user(), e);
            }
        }
        running = true;
        for (int i = 0; i < workerCount; i++) {
            Thread t = new Thread(this::work, "anpr-ftp-inbox-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anpr-ftp-scan");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::scanQuietly, 0, scanInterval.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::cleanQuietly, cleanupInterval.toMillis(), cleanupInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("FTP inbox: {} account(s), {} worker(s), archive {}", accounts.size(), workerCount, archive);
    }

    @Override
    public void stop() {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : workers) { // let in-flight files finish their commit; a file cut short is simply retried
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            t.interrupt();
        }
        workers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started before the FTP server, stopped after it. */
    @Override
    public int getPhase() {
        return EmbeddedFtpServer.PHASE - 1;
    }

    // ------------------------------------------------------------------------------------- called by the Ftplet

    /**
     * An upload (STOR/APPE) of {@code file} is about to start. Waits while the file is being ingested (so the
     * camera never overwrites a file between its commit and its move).
     */
    Verdict beginUpload(Path file, UUID session) {
        if (lowOnSpace(file)) {
            refusedFull.increment();
            return Verdict.FULL;
        }
        synchronized (lock) {
            if (!entries.containsKey(file) && entries.size() >= maxPending) {
                refusedFull.increment();
                return Verdict.FULL;
            }
            if (!awaitNotProcessing(file)) {
                return Verdict.BUSY;
            }
            uploading.put(file, session);
            incomplete.remove(file);
            return Verdict.OK;
        }
    }

    /** The disk that would hold the upload has less usable space than {@code min-free-space}. */
    private boolean lowOnSpace(Path file) {
        try {
            Path dir = file.getParent();
            while (dir != null && !Files.exists(dir)) {
                dir = dir.getParent();
            }
            return dir != null && Files.getFileStore(dir).getUsableSpace() < minFreeSpace;
        } catch (IOException e) {
            return false; // cannot tell: the upload itself will say
        }
    }

    /**
     * True when the account's home already holds its quota of files or bytes (everything in it counts, ignored
     * names too): the upload is then refused with 452 and the camera keeps its file. Stops counting at the quota.
     */
    boolean overQuota(Account account) {
        long files = 0;
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(account.home())) {
            for (var it = walk.iterator(); it.hasNext(); ) {
                Path p = it.next();
                if (Files.isRegularFile(p)) {
                    files++;
                    bytes += sizeOf(p);
                    if (files >= account.quotaFiles() || bytes >= account.quotaBytes()) {
                        refusedQuota.increment();
                        return true;
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // no home yet: nothing waits
        }
        return false;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException gone) {
            return 0;
        }
    }

    /** The upload ended: taken if it completed, remembered as incomplete otherwise (the camera will retry). */
    void endUpload(Path file, UUID session, Account account, boolean complete, String remoteAddr) {
        synchronized (lock) {
            if (!session.equals(uploading.get(file))) {
                return;
            }
            uploading.remove(file);
            if (tooLarge.remove(file)) {
                Entry e = enqueue(file, account, remoteAddr);
                if (e != null) {
                    e.tooLarge = true;
                }
            } else if (complete) {
                enqueue(file, account, remoteAddr);
            } else if (Files.exists(file)) {
                incomplete.add(file);
            }
            lock.notifyAll();
        }
    }

    /** Marks by the size-limited output stream: the upload was cut at the limit. */
    void markTooLarge(Path file) {
        synchronized (lock) {
            tooLarge.add(file);
        }
    }

    /** Before RNFR/DELE of a file: wait while it is being ingested. */
    boolean beforeChange(Path file) {
        synchronized (lock) {
            return awaitNotProcessing(file);
        }
    }

    /** A file renamed by the camera (upload under a temporary name, then RNTO): the new name is taken. */
    void renamed(Path from, Path to, Account account, String remoteAddr) {
        synchronized (lock) {
            Entry old = entries.get(from);
            if (old != null && old.state != State.PROCESSING) {
                entries.remove(from);
            }
            incomplete.remove(from);
            if (Files.isRegularFile(to)) {
                enqueue(to, account, remoteAddr);
            }
        }
    }

    void deleted(Path file) {
        synchronized (lock) {
            Entry e = entries.get(file);
            if (e != null && e.state != State.PROCESSING) {
                entries.remove(file);
            }
            incomplete.remove(file);
        }
    }

    /** A session ended or started a new command: uploads it had not finished are incomplete. */
    void sessionDone(UUID session) {
        synchronized (lock) {
            var it = uploading.entrySet().iterator();
            while (it.hasNext()) {
                var u = it.next();
                if (u.getValue().equals(session)) {
                    it.remove();
                    if (Files.exists(u.getKey())) {
                        incomplete.add(u.getKey());
                    }
                }
            }
            lock.notifyAll();
        }
    }

    /** Files known and not yet settled. */
    public int pending() {
        synchronized (lock) {
            return entries.size();
        }
    }

    public List<Account> accounts() {
        return accounts;
    }

    public Path archive() {
        return archive;
    }

    // ---------------------------------------------------------------------------------------------- internals

    private boolean awaitNotProcessing(Path file) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Entry e;
        while ((e = entries.get(file)) != null && e.state == State.PROCESSING) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private boolean ignored(Path file) {
        Path name = file.getFileName();
        return ignore.stream().anyMatch(m -> m.matches(name));
    }

    /** Caller holds the lock. */
    private Entry enqueue(Path file, Account account, String remoteAddr) {
        if (ignored(file)) {
            return null;
        }
        Entry e = entries.get(file);
        if (e == null) {
            e = new Entry(file, account, remoteAddr);
            entries.put(file, e);
            ready.add(file);
        } else if (remoteAddr != null) {
            e.remoteAddr = remoteAddr;
        }
        return e;
    }

    private void work() {
        while (running) {
            Path file;
            try {
                file = ready.poll(200, TimeUnit.MILLISECONDS);
                if (file == null) {
                    continue;
                }
                awaitPause();
            } catch (InterruptedException e) {
                return;
            }
            Entry entry;
            synchronized (lock) {
                entry = entries.get(file);
                if (entry == null || entry.state != State.QUEUED) {
                    continue;
                }
                if (uploading.containsKey(file)) { // being overwritten: taken again when that upload ends
                    entries.remove(file);
                    continue;
                }
                entry.state = State.PROCESSING;
            }
            try {
                process(entry);
            } catch (RuntimeException e) {
                log.error("FTP inbox: unexpected failure on a file of folder {}; will retry", entry.account.folder(), e);
                retry(entry, null);
            } finally {
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
        }
    }

    private void process(Entry entry) {
        Path file = entry.path;
        Account account = entry.account;
        BasicFileAttributes before;
        byte[] payload;
        try {
            before = Files.readAttributes(file, BasicFileAttributes.class);
            if (entry.tooLarge || before.size() > maxFileSize) {
                refuseTooLarge(entry, before.size());
                return;
            }
            payload = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            forget(entry);
            return;
        } catch (IOException e) {
            log.warn("FTP inbox: cannot read a file of folder {}: {}; will retry", account.folder(), e.toString());
            retry(entry, null);
            return;
        }
        RawMessage message = message(entry, payload);
        IngestOutcome result = ingest.ingest(message);
        if (!FtpOutcomes.settled(result)) {
            retry(entry, result);
            return;
        }
        recovered();
        if (changedSince(file, before)) { // rewritten meanwhile by other means: the new content is taken too
            requeue(entry);
            return;
        }
        if (FtpOutcomes.done(result)) {
            archive(entry, "done", null);
            done.increment();
        } else {
            archive(entry, "failed", FtpOutcomes.reasonText((IngestOutcome.Quarantined) result));
            failed.increment();
        }
    }

    private RawMessage message(Entry entry, byte[] payload) {
        Account a = entry.account;
        String relative = a.home().relativize(entry.path).toString().replace('\\', '/');
        return new RawMessage(payload, a.feed(), null, "ftp", null,
                Map.of("ftp-user", a.user(), "ftp-path", relative,
                        RawMessage.ALLOWED_CAMERAS, String.join(",", ingest.allowedCameras(a))), entry.remoteAddr,
                entry.path.getFileName().toString(), a.folder(), clock.instant());
    }

    private void refuseTooLarge(Entry entry, long size) throws IOException {
        byte[] evidence;
        try (InputStream in = Files.newInputStream(entry.path)) {
            evidence = in.readNBytes(EVIDENCE_BYTES);
        }
        String detail = "the upload exceeds the limit of " + maxFileSize + " bytes";
        IngestOutcome r = ingest.refuse(message(entry, evidence), Reason.TOO_LARGE, detail);
        String reason = r instanceof IngestOutcome.Quarantined q ? FtpOutcomes.reasonText(q)
                : "too-large\n" + detail + "\n(no quarantine row: the store was unavailable)\n";
        archive(entry, "failed", reason);
        failed.increment();
    }

    private static boolean changedSince(Path file, BasicFileAttributes before) {
        try {
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
            return now.size() != before.size() || !now.lastModifiedTime().equals(before.lastModifiedTime());
        } catch (IOException e) {
            return false;
        }
    }

    /** Moves the settled file out of the home folder: {@code <archive>/<folder>/<done|failed>/<UTC day>/<path>}. */
    private void archive(Entry entry, String kind, String reason) {
        Account a = entry.account;
        Path relative = a.home().relativize(entry.path);
        Path dir = archive.resolve(a.folder()).resolve(kind).resolve(LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString());
        try {
            Path target = dir.resolve(relative.toString());
            Files.createDirectories(target.getParent());
            target = free(target);
            if (reason != null) {
                Files.writeString(target.resolveSibling(target.getFileName() + ".reason.txt"), reason, StandardCharsets.UTF_8);
            }
            try {
                Files.move(entry.path, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(entry.path, target);
            }
            forget(entry);
        } catch (NoSuchFileException e) {
            forget(entry);
        } catch (IOException e) {
            // Settled but not moved: taken again by a later scan, which yields duplicates, never a loss.
            log.error("FTP inbox: a settled file of folder {} could not be moved to {}: {}", a.folder(), kind, e.toString());
            forget(entry);
        }
    }

    /** {@code name}, else {@code stem.1.ext}, {@code stem.2.ext} ... (a re-upload of the same name). */
    private static Path free(Path target) {
        if (!Files.exists(target)) {
            return target;
        }
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1; ; i++) {
            Path p = target.resolveSibling(stem + "." + i + ext);
            if (!Files.exists(p)) {
                return p;
            }
        }
    }

    private void forget(Entry entry) {
        synchronized (lock) {
            if (entries.get(entry.path) == entry) {
                entries.remove(entry.path);
            }
            lock.notifyAll();
        }
    }

    private void requeue(Entry entry) {
        synchronized (lock) {
            entry.state = State.QUEUED;
            ready.add(entry.path);
            lock.notifyAll();
        }
    }

    /** Sleeps out the shared back-off; a success elsewhere ends it early (the lock is notified). */
    private void awaitPause() throws InterruptedException {
        synchronized (lock) {
            long pause;
            while (running && (pause = pausedUntilNanos - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(lock, pause);
            }
        }
    }

    /**
     * The store took a file: the back-off ends for everyone and the files waiting out their own retry delay are
     * queued now, so the inbox drains as soon as the store is back instead of when each delay runs out.
     */
    private void recovered() {
        synchronized (lock) {
            if (consecutiveFailures == 0) {
                return;
            }
            int waiting = 0;
            for (Entry e : entries.values()) {
                if (e.state == State.WAITING) {
                    e.state = State.QUEUED;
                    ready.add(e.path);
                    waiting++;
                }
            }
            log.info("FTP inbox: the store accepts again after {} failed attempt(s); {} waiting file(s) queued",
                    consecutiveFailures, waiting);
            consecutiveFailures = 0;
            pausedUntilNanos = System.nanoTime();
            lock.notifyAll();
        }
    }

    /** Not settled: the file stays; every worker backs off (doubling up to retry-max), then the file is retried. */
    private void retry(Entry entry, IngestOutcome result) {
        retried.increment();
        long delayMs;
        synchronized (lock) {
            consecutiveFailures++;
            entry.attempts++;
            entry.state = State.WAITING;
            int doublings = Math.min(consecutiveFailures - 1, 20);
            delayMs = Math.min(retryMax.toMillis(), retryInitial.toMillis() << doublings);
            if (consecutiveFailures == 1) {
                log.warn("FTP inbox: the store did not take a file of folder {} ({}); files stay in place and are retried",
                        entry.account.folder(), result == null ? "error: " : FtpOutcomes.why(result));
            } else {
                log.debug("FTP inbox: still not accepted ({} attempts), next try in {} ms", consecutiveFailures, delayMs);
            }
            pausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
            lock.notifyAll();
        }
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
            s.schedule(() -> {
                synchronized (lock) {
                    if (entries.get(entry.path) == entry && entry.state == State.WAITING) {
                        entry.state = State.QUEUED;
                        ready.add(entry.path);
                    }
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            log.error("FTP inbox: scan failed", e);
        }
    }

    /** Takes files that are in a home folder, unchanged for the quiet period and not otherwise known. */
    void scan() {
        long quietBefore = clock.millis() - quietPeriod.toMillis();
        sweepIgnored();
        for (Account a : accounts) {
            List<Path> found;
            try (Stream<Path> files = Files.walk(a.home())) {
                found = files.filter(p -> !p.equals(a.home()) && !ignored(p) && Files.isRegularFile(p)).toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                log.warn("FTP inbox: cannot scan the home of {}: {}", a.user(), e.toString());
                continue;
            }
            List<Path[]> candidates = new ArrayList<>();
            Map<Path, Long> modified = new HashMap<>();
            for (Path p : found) {
                try {
                    long m = Files.getLastModifiedTime(p).toMillis();
                    if (m <= quietBefore) {
                        modified.put(p, m);
                        candidates.add(new Path[]{p});
                    }
                } catch (IOException ignoredGone) {
                    // vanished meanwhile
                }
            }
            candidates.sort(Comparator.comparing(c -> modified.get(c[0]))); // oldest first
            synchronized (lock) {
                for (Path[] c : candidates) {
                    Path p = c[0].toAbsolutePath().normalize();
                    if (entries.size() >= maxPending) {
                        return;
                    }
                    if (!entries.containsKey(p) && !uploading.containsKey(p) && !incomplete.contains(p)) {
                        enqueue(p, a, null);
                    }
                }
            }
        }
    }

    /**
     * Files with an ignored name (temporary names, hidden files) are never ingested: once older than
     * {@code ignored-max-age} and not being uploaded they are moved to {@code failed/} with a reason, so an
     * abandoned or deliberate pile of them cannot fill the disk. Kept there until the retention, like any failed file.
     */
    private void sweepIgnored() {
        long before = clock.millis() - ignoredMaxAge.toMillis();
        for (Account a : accounts) {
            List<Path> old;
            try (Stream<Path> files = Files.walk(a.home())) {
                old = files.filter(p -> ignored(p) && Files.isRegularFile(p) && olderThan(p, before)).toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                continue;
            }
            for (Path p : old) {
                Path file = p.toAbsolutePath().normalize();
                synchronized (lock) {
                    if (uploading.containsKey(file) || entries.containsKey(file)) {
                        continue;
                    }
                    incomplete.remove(file);
                }
                archive(new Entry(file, a, null), "failed", "ignored\nthe name matches anpr.ftp.ignore (a temporary or "
                        + "hidden file) and it was left for longer than " + ignoredMaxAge + " without a rename\n");
                ignoredMoved.increment();
            }
        }
    }

    private static boolean olderThan(Path p, long millis) {
        try {
            return Files.getLastModifiedTime(p).toMillis() <= millis;
        } catch (IOException e) {
            return false;
        }
    }

    private void cleanQuietly() {
        try {
            clean();
        } catch (RuntimeException e) {
            log.error("FTP inbox: clean-up of the archive failed", e);
        }
    }

    /** Deletes done/ and failed/ files older than the retention (personal data), then empty day folders. */
    public int clean() {
        if (!Files.isDirectory(archive)) {
            return 0;
        }
        long before = clock.millis() - retention.toMillis();
        int deleted = 0;
        List<Path> all;
        try (Stream<Path> files = Files.walk(archive)) {
            all = files.sorted(Comparator.reverseOrder()).toList(); // children before their folder
        } catch (IOException | java.io.UncheckedIOException e) {
            log.warn("FTP inbox: cannot walk the archive: {}", e.toString());
            return 0;
        }
        for (Path p : all) {
            try {
                if (Files.isRegularFile(p)) {
                    if (Files.getLastModifiedTime(p).toMillis() < before) {
                        Files.deleteIfExists(p);
                        deleted++;
                    }
                } else if (Files.isDirectory(p) && !p.equals(archive) && archive.relativize(p).getNameCount() > 2) {
                    try (Stream<Path> children = Files.list(p)) {
                        if (children.findAny().isEmpty()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            } catch (IOException e) {
                log.debug("FTP inbox: clean-up skipped an entry: {}", e.toString());
            }
        }
        if (deleted > 0) {
            log.info("FTP inbox: deleted {} archived file(s) older than {} day(s)", deleted, retention.toDays());
        }
        return deleted;
    }

    /** The account whose home holds {@code file}, or null. */
    Account accountOf(Path file) {
        for (Account a : accounts) {
            if (file.startsWith(a.home())) {
                return a;
            }
        }
        return null;
    }
}
