package uk.anprhub.normalise;

import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.decode.Decoded.Attachment;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead;
import uk.anprhub.model.ReadLimits;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.model.VendorRead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static uk.anprhub.normalise.FieldValues.text;

/**
 * The normalisation every connector shares (docs/connector-contract.md section 4): field bounds, camera, VRM, UTC
 * time with its source, idempotency key, measures, country, direction, images, in that order (the first refusal
 * wins). Each rule is its own class; this one only runs them. Stateless and thread-safe.
 */
public final class Normaliser {

    private final CameraRule cameras;
    private final CaptureTimes times;
    private final ReadLimits limits;

    public Normaliser(CameraRegistry cameras, ValidationPolicy policy) {
        this(cameras, policy, ReadLimits.DEFAULTS);
    }

    public Normaliser(CameraRegistry cameras, ValidationPolicy policy, ReadLimits limits) {
        this.cameras = new CameraRule(cameras);
        this.times = new CaptureTimes(policy);
        this.limits = limits;
    }

    /** A normalised read and the image bytes it refers to (stored outside the row). */
    /**
     * @param pictureHost the camera address a {@code {"ref": ...}} picture URL was built on (the fetcher may ask it),
     *                    or null
     */
    public record Normalised(NasRead read, byte[] plateImage, byte[] overviewImage, String pictureHost) {
        public Normalised(NasRead read, byte[] plateImage, byte[] overviewImage) {
            this(read, plateImage, overviewImage, null);
        }
    }

    /**
     * A picture fetched from the camera after its read was stored gets the checks of an inline one (contract 4.7):
     * null when it passes, else the reason ({@code image-too-large}, {@code bad-image}).
     */
    public static String pictureProblem(byte[] bytes, long maxBytes) {
        return Images.problem(bytes, maxBytes);
    }

    /** The reference a read holds for a picture that passed {@link #pictureProblem}. */
    public static NasRead.ImageRef pictureRef(byte[] bytes) {
        return Images.ref(new VendorRead.Image(null, null, null, null, null, null), bytes, null);
    }

    /**
     * @param vendor             the connector's vendor (camera identities are per vendor)
     * @param acceptUnknownCamera the feed's policy: store reads of unknown cameras with a flag instead of
     *                            quarantining them
     */
    public Normalised normalise(VendorRead in, String vendor, RawMessage message, Map<String, Attachment> attachments,
                                boolean acceptUnknownCamera) {
        return normalise(in, vendor, null, message, attachments, acceptUnknownCamera);
    }

    /** @param pictureUrl the connector's {@code pictures.url} template for {@code {"ref": ...}} images, or null */
    public Normalised normalise(VendorRead in, String vendor, String pictureUrl, RawMessage message,
                                Map<String, Attachment> attachments, boolean acceptUnknownCamera) {
        FieldChecks.check(in, limits);
        List<String> flags = new ArrayList<>();
        if (in.flags() != null) {
            flags.addAll(in.flags());
        }
        CameraRule.Match camera = cameras.match(in.device(), vendor, acceptUnknownCamera, flags);
        VrmRule.Plate plate = VrmRule.plate(in, flags);
        Instant received = message.receivedAt();
        CaptureTimes.Capture time = times.capture(in, camera.camera(), message.connector(), received);
        String key = idempotencyKey(camera.cameraId(), text(in.vendorReadId()), plate.vrm(), time.instant());

        String directionRaw = text(in.direction());
        Measures.Position position = Measures.position(in, camera.camera());
        byte[] plateImage = Images.bytes(in.plateImage(), message, attachments, "plate", flags, limits.maxImageBytes());
        byte[] overview = Images.bytes(in.overviewImage(), message, attachments, "overview", flags, limits.maxImageBytes());
        String pictureHost = pictureHost(camera.camera(), message);
        String plateUrl = Images.referenced(in.plateImage(), pictureUrl, pictureHost);
        String overviewUrl = Images.referenced(in.overviewImage(), pictureUrl, pictureHost);
        NasRead read = new NasRead(null, key, plate.vrm(), plate.asRead(), time.instant(), time.raw(), time.source(),
                received, camera.camera() == null ? null : camera.camera().feedId(),
                camera.camera() == null ? null : camera.camera().sourceId(), camera.cameraId(),
                deviceRef(vendor, in.device()), Measures.lane(in.lane()), Directions.direction(directionRaw, camera.camera()),
                directionRaw, Measures.heading(in.headingDeg()), Measures.confidence(in.confidence(), in.confidenceScale()),
                Countries.toAlpha3(text(in.country())), position.latitude(), position.longitude(), in.ptz(),
                Images.ref(in.plateImage(), plateImage, plateUrl), Images.ref(in.overviewImage(), overview, overviewUrl),
                in.plateBox(), in.vehicle(),
                new NasRead.Ingest(message.feed(), message.connector(), message.transport(), message.remoteAddr()),
                flags.isEmpty() ? null : List.copyOf(flags));
        return new Normalised(read, plateImage, overview, plateUrl != null || overviewUrl != null ? pictureHost : null);
    }

    /**
     * Where a camera's referenced pictures are asked for: its registry {@code device.ip} (declared by ops), else the
     * address the read came from — never an address of the payload.
     */
    private static String pictureHost(uk.anprhub.camera.Camera camera, RawMessage message) {
        if (camera != null && camera.device().ip() != null && !camera.device().ip().isBlank()) {
            return camera.device().ip();
        }
        return message.remoteAddr();
    }

    /** Contract section 4.6: {@code <cameraId>:<vendorReadId>}, else {@code <cameraId>:<VRM>:<capture epoch ms>}. */
    private static String idempotencyKey(String cameraId, String vendorReadId, String vrm, Instant capture) {
        return cameraId + ":" + (vendorReadId != null ? vendorReadId : vrm + ":" + capture.toEpochMilli());
    }

    private static NasRead.DeviceRef deviceRef(String vendor, VendorRead.Device d) {
        return d == null ? new NasRead.DeviceRef(vendor, null, null, null, null, null, null, null, null)
                : new NasRead.DeviceRef(vendor, d.model(), d.serial(), d.mac(), d.ip(), d.channel(), d.name(),
                d.ftpFolder(), d.mqttName());
    }

    /** Kept for callers outside this package (store.ReadWriter, ingest.HttpFeedGate); same as {@link Sha256#hex}. */
    public static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }
}
