package uk.anprhub.delivery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** What a wire adapter learnt from one send to a target: an answer per record, or one for the whole batch. */
public sealed interface SendResult {

    /** The target answered each record (a record without an answer is {@link RecordStatus#RETRY}). */
    record PerRecord(List<RecordResult> results) implements SendResult {
    }

    /**
     * Target unreachable, 5xx, 429, timeout: nothing is the records' fault; retry later, never dead-letter.
     * {@code unanswered}: no HTTP answer came (timeout, connection lost) — the target may have taken the batch, so
     * its re-send is the one source of duplicates.
     */
    record Transient(String reason, Duration retryAfter, boolean unanswered) implements SendResult {
    }

    /** 401/403: our credentials are wrong; the target is paused until an operator resumes it. */
    record AuthFailed(String reason) implements SendResult {
    }

    /** The batch was refused as a whole (400/413/422): bisect it to find the poison records. */
    record BatchRejected(String reason, String response) implements SendResult {
    }

    /** What the target did with one record. */
    enum RecordStatus { DELIVERED, REJECTED, RETRY }

    /** @param reason short, for filtering; @param response the target's own answer for this record, kept verbatim */
    record RecordResult(UUID readId, RecordStatus status, String reason, String response) {
    }
}
