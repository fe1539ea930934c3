package uk.anprhub.transport.ftp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.ingest.IngestService;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.Reason;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The inbox's {@link FtpInbox.Ingest} in the hub: the {@link IngestService}, and the cameras an account may post
 * reads for — its configured {@code cameras}, else those the camera registry binds to its folder or user name.
 */
final class HubIngest implements FtpInbox.Ingest {

    private static final Logger log = LoggerFactory.getLogger(HubIngest.class);

    private final IngestService ingest;
    private final CameraRegistry cameras;

    HubIngest(IngestService ingest, CameraRegistry cameras) {
        this.ingest = ingest;
        this.cameras = cameras;
    }

    @Override
    public IngestOutcome ingest(RawMessage message) {
        return ingest.ingest(message);
    }

    @Override
    public IngestOutcome refuse(RawMessage message, Reason reason, String detail) {
        return ingest.refuse(message, reason, detail);
    }

    @Override
    public List<String> allowedCameras(FtpInbox.Account account) {
        return account.cameras().isEmpty() ? camerasOf(account) : account.cameras();
    }

    /** Logs each account's cameras at start-up, and warns of an account bound to none (its reads are quarantined). */
    void reportBindings(List<FtpInbox.Account> accounts) {
        for (FtpInbox.Account a : accounts) {
            List<String> bound = allowedCameras(a);
            if (bound.isEmpty()) {
                log.warn("FTP account {} is bound to no camera (no registry camera has ftpFolder/name '{}'): its reads "
                        + "are quarantined as camera-not-allowed until anpr.ftp.accounts[].cameras lists them", a.user(), a.folder());
            } else {
                log.info("FTP account {} may post reads for camera(s) {}", a.user(), bound);
            }
        }
    }

    /**
     * The default binding of an account without {@code cameras}: the registry cameras (looked up per file, so a
     * registry reload applies) whose device's FTP folder or name is the account's folder or user name, or whose id
     * is either.
     */
    private List<String> camerasOf(FtpInbox.Account account) {
        Set<String> names = new HashSet<>(List.of(account.folder(), account.user()));
        List<String> ids = new ArrayList<>();
        for (Camera c : cameras.cameras()) {
            Camera.Device d = c.device();
            if (names.contains(c.cameraId()) || (d.ftpFolder() != null && names.contains(d.ftpFolder()))
                    || (d.name() != null && names.contains(d.name()))) {
                ids.add(c.cameraId());
            }
        }
        return ids;
    }
}
