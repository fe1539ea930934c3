package uk.anprhub.transport.ftp;

import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Map;

/**
 * Settles one file a worker claimed: ingests it and moves it to {@code done/} or {@code failed/} only once
 * {@link FtpOutcomes#settled settled} (reads committed, or message quarantined); otherwise it stays in place and goes to
 * the {@link StoreBackoff}. A file over the size limit is refused (quarantined with its first 64 KiB as evidence).
 */
final class FileSettler {

    private static final Logger log = LoggerFactory.getLogger(FileSettler.class);
    private static final int EVIDENCE_BYTES = 64 * 1024;

    private final FtpInbox.Ingest ingest;
    private final InboxQueue queue;
    private final StoreBackoff backoff;
    private final InboxArchive archive;
    private final Clock clock;
    private final long maxFileSize;
    private final Counter done;
    private final Counter failed;

    FileSettler(FtpInbox.Ingest ingest, InboxQueue queue, StoreBackoff backoff, InboxArchive archive, Clock clock,
                long maxFileSize, Counter done, Counter failed) {
        this.ingest = ingest;
        this.queue = queue;
        this.backoff = backoff;
        this.archive = archive;
        this.clock = clock;
        this.maxFileSize = maxFileSize;
        this.done = done;
        this.failed = failed;
    }

    void settle(PendingFile entry) {
        Path file = entry.path;
        FtpInbox.Account account = entry.account;
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
            queue.forget(entry);
            return;
        } catch (IOException e) {
            log.warn("FTP inbox: cannot read a file of folder {}: {}; will retry", account.folder(), e.toString());
            backoff.retry(entry, null);
            return;
        }
        RawMessage message = message(entry, payload);
        IngestOutcome result = ingest.ingest(message);
        if (!FtpOutcomes.settled(result)) {
            backoff.retry(entry, result);
            return;
        }
        backoff.recovered();
        if (changedSince(file, before)) { // rewritten meanwhile by other means: the new content is taken too
            queue.requeue(entry);
            return;
        }
        if (FtpOutcomes.done(result)) {
            moveOut(entry, "done", null);
            done.increment();
        } else {
            moveOut(entry, "failed", FtpOutcomes.reasonText((IngestOutcome.Quarantined) result));
            failed.increment();
        }
    }

    private RawMessage message(PendingFile entry, byte[] payload) {
        FtpInbox.Account a = entry.account;
        String relative = a.home().relativize(entry.path).toString().replace('\\', '/');
        return new RawMessage(payload, a.feed(), null, "ftp", null,
                Map.of("ftp-user", a.user(), "ftp-path", relative,
                        RawMessage.ALLOWED_CAMERAS, String.join(",", ingest.allowedCameras(a))), entry.remoteAddr,
                entry.path.getFileName().toString(), a.folder(), clock.instant());
    }

    private void refuseTooLarge(PendingFile entry, long size) throws IOException {
        byte[] evidence;
        try (InputStream in = Files.newInputStream(entry.path)) {
            evidence = in.readNBytes(EVIDENCE_BYTES);
        }
        String detail = "the upload exceeds the limit of " + maxFileSize + " bytes";
        IngestOutcome r = ingest.refuse(message(entry, evidence), Reason.TOO_LARGE, detail);
        String reason = r instanceof IngestOutcome.Quarantined q ? FtpOutcomes.reasonText(q)
                : "too-large\n" + detail + "\n(no quarantine row: the store was unavailable)\n";
        moveOut(entry, "failed", reason);
        failed.increment();
    }

    private void moveOut(PendingFile entry, String kind, String reason) {
        archive.move(entry.path, entry.account, kind, reason);
        queue.forget(entry);
    }

    private static boolean changedSince(Path file, BasicFileAttributes before) {
        try {
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
            return now.size() != before.size() || !now.lastModifiedTime().equals(before.lastModifiedTime());
        } catch (IOException e) {
            return false;
        }
    }
}
