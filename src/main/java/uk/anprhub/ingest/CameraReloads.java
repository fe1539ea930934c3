package uk.anprhub.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import uk.anprhub.audit.AuditLog;
import uk.anprhub.camera.CameraRegistry;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every reload of the camera registry, audited ({@code cameras.reload}): the registry decides which camera, site and
 * NAS ids a read is filed under, so changing it is a change to how personal data is processed. Two ways in: ops'
 * {@code POST /api/v1/cameras/reload} (the account, its optional reason) and the file watch, which picks up an edited
 * camera file every {@code anpr.cameras.reload-check} (account {@code system}). Each row says how many cameras there
 * were before and after, and whether the registry was replaced or the previous one kept (with the error).
 */
public final class CameraReloads {

    private static final Logger log = LoggerFactory.getLogger(CameraReloads.class);
    /** The longest error text kept in an audit row (it names the file and camera, never a plate). */
    private static final int MAX_ERROR = 300;

    private final CameraRegistry cameras;
    private final AuditLog audit;
    /** The disk stamp of files the watch failed to load: audited and logged once, not every few seconds. */
    private volatile long refusedStamp = Long.MIN_VALUE;
    /** The folder could not be listed, and the log said so (once, until it can be again). */
    private volatile boolean unreadableLogged;
    /** A watch reload whose audit row could not be written yet (database away): written on a later tick. */
    private volatile Map<String, Object> unaudited;

    public CameraReloads(CameraRegistry cameras, AuditLog audit) {
        this.cameras = cameras;
        this.audit = audit;
    }

    /**
     * Reloads on an operator's request; returns how many cameras the registry holds now.
     *
     * @param why optional; kept (printable, at most 500 characters) in the audit row
     * @throws IOException a broken file: the previous registry is kept, and the refusal audited too
     */
    public int byRequest(String why) throws IOException {
        String w = why == null || why.isBlank() ? null : AuditLog.printable(why.strip(), 500);
        return reload(null, "api", w);
    }

    /** The file watch: reloads only when a file was added, removed or changed; never throws. */
    @Scheduled(fixedDelayString = "${anpr.cameras.reload-check:PT5S}", initialDelayString = "${anpr.cameras.reload-check:PT5S}")
    public void ifChanged() {
        Map<String, Object> owed = unaudited;
        if (owed != null) {
            try {
                record("system", owed);
                unaudited = null;
            } catch (RuntimeException e) {
                return; // the change stays owed; no further reload until it is on record
            }
        }
        long stamp;
        try {
            stamp = cameras.diskStamp();
        } catch (IOException | RuntimeException e) { // the folder went away: nothing to load, the registry stays
            if (!unreadableLogged) {
                unreadableLogged = true;
                log.error("Camera registry under {} cannot be read, previous one kept: {}", cameras.location(), e.getMessage());
            }
            return;
        }
        unreadableLogged = false;
        if (stamp == cameras.loadedStamp() || stamp == refusedStamp) {
            return;
        }
        try {
            reload("system", "file-watch", null);
            refusedStamp = Long.MIN_VALUE;
        } catch (AuditOwed e) {
            unaudited = e.detail;
            log.error("Camera registry reloaded from {} but its audit row could not be written yet: {}", cameras.location(),
                    e.getCause().getClass().getSimpleName());
        } catch (IOException | RuntimeException e) {
            refusedStamp = stamp;
            log.error("Camera registry under {} not reloaded, previous one kept: {}", cameras.location(), e.getMessage());
        }
    }

    private int reload(String actor, String via, String why) throws IOException {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("via", via);
        if (why != null) {
            detail.put("why", why);
        }
        detail.put("before", cameras.size());
        int after;
        try {
            after = cameras.reload();
        } catch (IOException | RuntimeException e) {
            detail.put("after", cameras.size());
            detail.put("outcome", "refused");
            detail.put("error", AuditLog.printable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), MAX_ERROR));
            try {
                record(actor, detail);
            } catch (RuntimeException auditFailed) { // the reload's own error is what ops must see
                e.addSuppressed(auditFailed);
            }
            throw e;
        }
        detail.put("after", after);
        detail.put("outcome", "reloaded");
        try {
            record(actor, detail);
        } catch (RuntimeException e) {
            throw new AuditOwed(detail, e);
        }
        return after;
    }

    private void record(String actor, Map<String, Object> detail) {
        if (actor == null) {
            audit.record("cameras.reload", detail);
        } else {
            audit.record(actor, "cameras.reload", detail);
        }
    }

    /** The registry changed but its audit row could not be written: the caller answers an error (API) or retries (watch). */
    static final class AuditOwed extends RuntimeException {
        final transient Map<String, Object> detail;

        AuditOwed(Map<String, Object> detail, RuntimeException cause) {
            super("camera registry reloaded, audit row not written", cause);
            this.detail = detail;
        }
    }
}
