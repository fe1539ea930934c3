package uk.anprhub.camera;

import uk.anprhub.model.NasRead.Direction;

import java.time.ZoneId;
import java.util.Map;

/**
 * One camera of the registry: its NAS identities, how it identifies itself in vendor messages, where it is,
 * and the policies the normaliser applies to its reads.
 *
 * @param timeZone    zone for local times sent without an offset; null = such reads are quarantined
 * @param directions  vendor direction word (lower case) to canonical direction, for lane-relative vendors
 * @param timeFormats connector id to the {@code java.time} pattern of this camera's time text, replacing the
 *                    mapping's pattern (vendors whose date order follows the camera's locale, e.g. Genetec)
 */
public record Camera(String cameraId, String sourceId, String feedId, String vendor, Device device,
                     Double latitude, Double longitude, ZoneId timeZone, Map<String, Direction> directions,
                     Map<String, String> timeFormats) {

    public Camera {
        directions = directions == null ? Map.of() : Map.copyOf(directions);
        timeFormats = timeFormats == null ? Map.of() : Map.copyOf(timeFormats);
        device = device == null ? new Device(null, null, null, null, null, null, null) : device;
    }

    public Camera(String cameraId, String sourceId, String feedId, String vendor, Device device,
                  Double latitude, Double longitude, ZoneId timeZone, Map<String, Direction> directions) {
        this(cameraId, sourceId, feedId, vendor, device, latitude, longitude, timeZone, directions, null);
    }

    public record Device(String serial, String mac, String ip, String channel, String ftpFolder, String mqttName,
                         String name) {
    }
}
