package uk.anprhub.normalise;

import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraIdentity;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.VendorRead;

import java.util.ArrayList;
import java.util.List;

/**
 * The camera a read came from (contract section 4.1): the registry's answer for the identity the read carries, or,
 * when the feed accepts unknown cameras, none, flagged {@code unknown-camera} and filed under {@code UNKNOWN:<identity>}.
 */
final class CameraRule {

    private final CameraRegistry cameras;

    CameraRule(CameraRegistry cameras) {
        this.cameras = cameras;
    }

    /** The registry's camera (null when unknown) and the camera id the read is filed under. */
    record Match(Camera camera, String cameraId) {
    }

    Match match(VendorRead.Device device, String vendor, boolean acceptUnknown, List<String> flags) {
        CameraRegistry.Lookup lookup = cameras.lookup(identity(vendor, device));
        Camera camera = lookup.camera();
        if (camera != null) {
            return new Match(camera, camera.cameraId());
        }
        if (!acceptUnknown) {
            throw new RejectedException("unknown-camera", "no camera in the registry matches "
                    + describe(vendor, device) + ": " + lookup.problem());
        }
        flags.add("unknown-camera");
        return new Match(null, "UNKNOWN:" + strongest(device));
    }

    /** What the registry matches: the vendor and the device's identities (not its model, which names no camera). */
    static CameraIdentity identity(String vendor, VendorRead.Device d) {
        return d == null ? null : new CameraIdentity(vendor, d.cameraId(), d.serial(), d.mac(), d.ip(), d.channel(),
                d.ftpFolder(), d.mqttName(), d.name());
    }

    private static String strongest(VendorRead.Device d) {
        if (d == null) {
            return "?";
        }
        for (String s : new String[]{d.cameraId(), d.serial(), d.mac(), d.ip() == null ? null : d.ip() + (d.channel() == null ? "" : "#" + d.channel()),
                d.ftpFolder(), d.mqttName(), d.name()}) {
            if (s != null) {
                return s;
            }
        }
        return "?";
    }

    private static String describe(String vendor, VendorRead.Device d) {
        if (d == null) {
            return "vendor " + vendor + " (the message carries no camera identity)";
        }
        List<String> parts = new ArrayList<>();
        if (d.cameraId() != null) parts.add("cameraId=" + d.cameraId());
        if (d.serial() != null) parts.add("serial=" + d.serial());
        if (d.mac() != null) parts.add("mac=" + d.mac());
        if (d.ip() != null) parts.add("ip=" + d.ip());
        if (d.channel() != null) parts.add("channel=" + d.channel());
        if (d.ftpFolder() != null) parts.add("ftpFolder=" + d.ftpFolder());
        if (d.mqttName() != null) parts.add("mqttName=" + d.mqttName());
        if (d.name() != null) parts.add("name=" + d.name());
        return "vendor " + vendor + " " + String.join(", ", parts);
    }
}
