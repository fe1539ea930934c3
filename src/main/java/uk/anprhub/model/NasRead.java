package uk.anprhub.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The canonical "NAS read": one vehicle passing one camera, normalised. Field meanings and the reasons for
 * their names are in docs/canonical-read.md; the JSON form is docs/nas-read.schema.json.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"readId", "idempotencyKey", "vrm", "vrmAsRead", "captureTimeUtc", "captureTimeRaw", "timeSource",
        "receivedTimeUtc", "feedId", "sourceId", "cameraId"})
public record NasRead(
        UUID readId,
        String idempotencyKey,
        String vrm,
        String vrmAsRead,
        @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = TIME_PATTERN, timezone = "UTC") Instant captureTimeUtc,
        String captureTimeRaw,
        TimeSource timeSource,
        @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = TIME_PATTERN, timezone = "UTC") Instant receivedTimeUtc,
        String feedId,
        String sourceId,
        String cameraId,
        DeviceRef deviceRef,
        Integer lane,
        Direction direction,
        String directionRaw,
        Double headingDeg,
        Integer confidencePct,
        String countryCode,
        Double latitude,
        Double longitude,
        Ptz ptz,
        ImageRef plateImage,
        ImageRef overviewImage,
        PlateBox plateBox,
        Vehicle vehicle,
        Ingest ingest,
        List<String> flags) {

    /** Every time in the canonical form has millisecond precision and a Z. */
    public static final String TIME_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";

    public enum TimeSource { DEVICE_UTC, DEVICE_OFFSET, DEVICE_LOCAL_ASSUMED_TZ, FILENAME, RECEIPT }

    public enum Direction { TOWARDS, AWAY, UNKNOWN }

    /** The camera as it described itself in the message. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record DeviceRef(String vendor, String model, String serial, String mac, String ip, String channel,
                            String name, String ftpFolder, String mqttName) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Ptz(String preset, Double pan, Double tilt, Double zoom) {
    }

    /**
     * An image kept outside the row, in the image store under (capture day, readId, kind). {@code url} is set
     * instead of the hash for an image the camera holds itself, to be fetched later.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ImageRef(String contentType, String sha256, Long bytes, String url) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record PlateBox(Integer x, Integer y, Integer w, Integer h) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Vehicle(String make, String model, String colour, String type) {
    }

    /** Provenance: which hub feed, connector and transport brought the read in. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Ingest(String feed, String connector, String transport, String remoteAddr) {
    }

    public NasRead withReadId(UUID id) {
        return new NasRead(id, idempotencyKey, vrm, vrmAsRead, captureTimeUtc, captureTimeRaw, timeSource,
                receivedTimeUtc, feedId, sourceId, cameraId, deviceRef, lane, direction, directionRaw, headingDeg,
                confidencePct, countryCode, latitude, longitude, ptz, plateImage, overviewImage, plateBox, vehicle,
                ingest, flags);
    }
}
