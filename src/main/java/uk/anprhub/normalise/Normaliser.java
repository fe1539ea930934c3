package uk.anprhub.normalise;

import uk.anprhub.message.RejectedException;
import uk.anprhub.model.NasRead;
import uk.anprhub.model.ReadLimits;
import uk.anprhub.model.TimePatterns;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.model.VendorRead;

import com.fasterxml.jackson.databind.JsonNode;
import uk.anprhub.camera.Camera;
import uk.anprhub.camera.CameraRegistry;
import uk.anprhub.connector.decode.Decoded.Attachment;
import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead.Direction;
import uk.anprhub.model.NasRead.ImageRef;
import uk.anprhub.model.NasRead.TimeSource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer.Form;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The normalisation every connector shares (docs/connector-contract.md section 4): camera lookup, VRM clean-up,
 * UTC time with its source, confidence, country, direction, location, images and the idempotency key; then the
 * validation that decides between storing and quarantining. Stateless and thread-safe.
 */
public final class Normaliser {

    private static final Set<String> NO_PLATE = Set.of("UNKNOWN", "NOPLATE", "NOTDEFINED", "NONE", "NULL", "NA",
            "NOREAD", "UNREAD");
    private static final int MAX_VRM = 16;
    /**
     * What vendors put in place of a character they could not read: {@code ?} (Hikvision, most OCR engines),
     * {@code *} (also Genetec's masking), {@code _}, {@code #}, and U+FFFD, a byte the camera's charset could not
     * encode. None of them is ever part of a plate.
     */
    static final String MARKERS = "?*_#\uFFFD";
    private static final String MARKERS_TEXT = "?, *, _, # or U+FFFD";
    /** The plate as sent: the cleaned VRM's 16 characters plus spaces, dashes and the like. */
    private static final int MAX_VRM_AS_READ = 32;
    private static final int MAX_URL = 2048;
    private static final int MAX_FLAGS = 32;
    private static final int MAX_LANE = 255;
    private static final long EPOCH_MS_MIN = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    private static final long EPOCH_MS_MAX = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
    /** ISO 8601 with 'T' or a space, any fraction, and an optional offset written Z, +01:00, +0100 or +01. */
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd().append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final Map<String, DateTimeFormatter> PATTERNS = new ConcurrentHashMap<>();
    private static final Map<String, DateTimeFormatter> CAMERA_PATTERNS = new ConcurrentHashMap<>();
    private static final Map<String, Direction> DIRECTION_WORDS = Map.ofEntries(
            Map.entry("towards", Direction.TOWARDS), Map.entry("toward", Direction.TOWARDS),
            Map.entry("approach", Direction.TOWARDS), Map.entry("approaching", Direction.TOWARDS),
            Map.entry("in", Direction.TOWARDS), Map.entry("1", Direction.TOWARDS),
            Map.entry("away", Direction.AWAY), Map.entry("moving away", Direction.AWAY),
            Map.entry("out", Direction.AWAY), Map.entry("goaway", Direction.AWAY), Map.entry("2", Direction.AWAY),
            Map.entry("unknown", Direction.UNKNOWN), Map.entry("unk", Direction.UNKNOWN), Map.entry("0", Direction.UNKNOWN));

    private final CameraRegistry cameras;
    private final ValidationPolicy policy;
    private final ReadLimits limits;

    public Normaliser(CameraRegistry cameras, ValidationPolicy policy) {
        this(cameras, policy, ReadLimits.DEFAULTS);
    }

    public Normaliser(CameraRegistry cameras, ValidationPolicy policy, ReadLimits limits) {
        this.cameras = cameras;
        this.policy = policy;
        this.limits = limits;
    }

    /** A normalised read and the image bytes it refers to (stored outside the row). */
    public record Normalised(NasRead read, byte[] plateImage, byte[] overviewImage) {
    }

    /**
     * @param vendor             the connector's vendor (camera identities are per vendor)
     * @param acceptUnknownCamera the feed's policy: store reads of unknown cameras with a flag instead of
     *                            quarantining them
     */
    public Normalised normalise(VendorRead in, String vendor, RawMessage message, Map<String, Attachment> attachments,
                                boolean acceptUnknownCamera) {
        checkFields(in);
        List<String> flags = new ArrayList<>();
        if (in.flags() != null) {
            flags.addAll(in.flags());
        }
        CameraRegistry.Lookup lookup = cameras.lookup(vendor, in.device());
        Camera camera = lookup.camera();
        if (camera == null && !acceptUnknownCamera) {
            throw new RejectedException("unknown-camera", "no camera in the registry matches "
                    + describe(vendor, in.device()) + ": " + lookup.problem());
        }
        if (camera == null) {
            flags.add("unknown-camera");
        }
        String vrmAsRead = text(in.vrm());
        String vrm = cleanVrm(vrmAsRead);
        if (partial(vrmAsRead)) {
            String guess = text(in.vrmGuess());
            if (guess == null) {
                throw new RejectedException("partial-vrm", "the plate has characters the camera could not read "
                        + "(marked " + MARKERS_TEXT + ") and the mapping gives no vrmGuess: stored as read, it would be "
                        + "another, valid-looking plate");
            }
            if (partial(guess)) {
                throw new RejectedException("partial-vrm", "the vendor's best guess (vrmGuess) also has unreadable characters");
            }
            vrm = cleanVrm(guess);
            flags.add("vrm-best-guess");
        }
        Instant received = message.receivedAt();
        TimedCapture time = captureTime(in, camera, message.connector());
        validateTime(time.instant(), received);

        String cameraId = camera != null ? camera.cameraId() : "UNKNOWN:" + identity(in.device());
        String vendorReadId = text(in.vendorReadId());
        String key = cameraId + ":" + (vendorReadId != null ? vendorReadId : vrm + ":" + time.instant().toEpochMilli());

        String directionRaw = text(in.direction());
        Double latitude = coordinate(in.latitude(), in.latitudeDms(), "latitude", 90);
        Double longitude = coordinate(in.longitude(), in.longitudeDms(), "longitude", 180);
        if (latitude == null && longitude == null && camera != null) {
            latitude = camera.latitude();
            longitude = camera.longitude();
        }
        byte[] plate = image(in.plateImage(), message, attachments, "plate", flags, limits.maxImageBytes());
        byte[] overview = image(in.overviewImage(), message, attachments, "overview", flags, limits.maxImageBytes());
        VendorRead.Device d = in.device();
        NasRead.DeviceRef device = d == null ? new NasRead.DeviceRef(vendor, null, null, null, null, null, null, null, null)
                : new NasRead.DeviceRef(vendor, d.model(), d.serial(), d.mac(), d.ip(), d.channel(), d.name(),
                d.ftpFolder(), d.mqttName());
        NasRead read = new NasRead(null, key, vrm, vrmAsRead, time.instant(), time.raw(), time.source(),
                received, camera == null ? null : camera.feedId(), camera == null ? null : camera.sourceId(), cameraId,
                device, lane(in.lane()), direction(directionRaw, camera), directionRaw,
                heading(in.headingDeg()), confidence(in.confidence(), in.confidenceScale()),
                Countries.toAlpha3(text(in.country())), latitude, longitude, in.ptz(),
                imageRef(in.plateImage(), plate), imageRef(in.overviewImage(), overview), in.plateBox(), in.vehicle(),
                new NasRead.Ingest(message.feed(), message.connector(), message.transport(), message.remoteAddr()),
                flags.isEmpty() ? null : List.copyOf(flags));
        return new Normalised(read, plate, overview);
    }

    /**
     * Every text a read carries into the store is bounded and free of control characters (a NUL made PostgreSQL quote
     * the read in its error, and so in the log); every number of the typed parts is finite.
     */
    private void checkFields(VendorRead in) {
        check(in.vrm(), "vrm", MAX_VRM_AS_READ);
        check(in.vrmGuess(), "vrmGuess", MAX_VRM_AS_READ);
        check(in.time(), "time", limits.maxId());
        check(in.vendorReadId(), "vendorReadId", limits.maxId());
        check(in.country(), "country", limits.maxId());
        check(in.direction(), "direction", limits.maxText());
        VendorRead.Device d = in.device();
        if (d != null) {
            check(d.cameraId(), "device.cameraId", limits.maxId());
            check(d.serial(), "device.serial", limits.maxId());
            check(d.mac(), "device.mac", limits.maxId());
            check(d.ip(), "device.ip", limits.maxId());
            check(d.channel(), "device.channel", limits.maxId());
            check(d.ftpFolder(), "device.ftpFolder", limits.maxId());
            check(d.mqttName(), "device.mqttName", limits.maxId());
            check(d.name(), "device.name", limits.maxText());
            check(d.model(), "device.model", limits.maxText());
        }
        NasRead.Vehicle v = in.vehicle();
        if (v != null) {
            check(v.make(), "vehicle.make", limits.maxText());
            check(v.model(), "vehicle.model", limits.maxText());
            check(v.colour(), "vehicle.colour", limits.maxText());
            check(v.type(), "vehicle.type", limits.maxText());
        }
        NasRead.Ptz ptz = in.ptz();
        if (ptz != null) {
            check(ptz.preset(), "ptz.preset", limits.maxId());
            finite(ptz.pan(), "ptz.pan");
            finite(ptz.tilt(), "ptz.tilt");
            finite(ptz.zoom(), "ptz.zoom");
        }
        for (VendorRead.Image image : new VendorRead.Image[]{in.plateImage(), in.overviewImage()}) {
            if (image != null) {
                check(image.contentType(), "image contentType", limits.maxId());
                check(image.part(), "image part", limits.maxId());
                check(image.url(), "image url", MAX_URL);
            }
        }
        if (in.flags() != null) {
            if (in.flags().size() > MAX_FLAGS) {
                throw new RejectedException("malformed-field", "more than " + MAX_FLAGS + " flags");
            }
            for (String flag : in.flags()) {
                check(flag, "flag", limits.maxId());
            }
        }
    }

    private static void check(JsonNode node, String name, int max) {
        if (node != null && node.isTextual()) {
            check(node.textValue(), name, max);
        }
    }

    /** Refuses a text longer than {@code max} or holding a control character (tab, CR and LF included). */
    static void check(String s, String name, int max) {
        if (s == null) {
            return;
        }
        if (s.length() > max) {
            throw new RejectedException("malformed-field", name + " has " + s.length() + " characters, more than " + max);
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new RejectedException("malformed-field", name + " holds a control character (U+"
                        + String.format("%04X", (int) s.charAt(i)) + ") at position " + i);
            }
        }
    }

    private static void finite(Double d, String name) {
        if (d != null && !Double.isFinite(d)) {
            throw new RejectedException("malformed-field", name + " is not a finite number");
        }
    }

    /**
     * Whether the plate as sent marks a character the camera could not read ({@code AB12CD?}). Cleaning would drop the
     * marker and leave a shorter, valid-looking plate, i.e. another vehicle; a plate that is nothing but markers
     * ({@code ???}, Genetec's masked {@code ******}) is no plate at all, which {@link #cleanVrm} says.
     */
    static boolean partial(String asRead) {
        if (asRead == null) {
            return false;
        }
        boolean marker = false;
        boolean character = false;
        for (int i = 0; i < asRead.length(); i++) {
            char c = asRead.charAt(i);
            if (MARKERS.indexOf(c) >= 0) {
                marker = true;
            } else if (Character.isLetterOrDigit(c)) {
                character = true;
            }
        }
        return marker && character;
    }

    static String cleanVrm(String asRead) {
        if (asRead == null || asRead.isBlank()) {
            throw new RejectedException("missing-vrm", "the read has no plate (VRM)");
        }
        String s = asRead;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) { // strip accents of foreign plates before dropping non A-Z0-9
                s = java.text.Normalizer.normalize(s, Form.NFD);
                break;
            }
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toUpperCase(s.charAt(i));
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                b.append(c);
            }
        }
        String vrm = b.toString();
        if (vrm.isEmpty() || NO_PLATE.contains(vrm)) {
            throw new RejectedException("no-plate", "the camera reported no readable plate (a no-plate marker, not a VRM)");
        }
        if (vrm.length() > MAX_VRM) {
            throw new RejectedException("invalid-vrm", "the plate has " + vrm.length() + " characters, more than " + MAX_VRM);
        }
        return vrm;
    }

    private record TimedCapture(Instant instant, String raw, TimeSource source) {
    }

    private TimedCapture captureTime(VendorRead in, Camera camera, String connector) {
        JsonNode t = in.time();
        String raw = text(t);
        if (raw == null) {
            throw new RejectedException("missing-capture-time", "the read has no capture time");
        }
        String format = in.timeFormat() == null ? "iso" : in.timeFormat();
        TimeSource declared = null;
        if (in.timeSource() != null) {
            try {
                declared = TimeSource.valueOf(in.timeSource());
            } catch (IllegalArgumentException e) {
                throw new RejectedException("mapping-failed", "timeSource '" + in.timeSource() + "' is not one of "
                        + List.of(TimeSource.values()));
            }
        }
        Instant instant;
        TimeSource source;
        switch (format) {
            case "epoch-ms" -> {
                instant = Instant.ofEpochMilli(epoch(raw, 1, "milliseconds"));
                source = TimeSource.DEVICE_UTC;
            }
            case "epoch-s" -> {
                instant = Instant.ofEpochMilli(epoch(raw, 1000, "seconds"));
                source = TimeSource.DEVICE_UTC;
            }
            case "epoch-us" -> {
                instant = Instant.ofEpochMilli(epoch(raw, 0.001, "microseconds"));
                source = TimeSource.DEVICE_UTC;
            }
            default -> {
                Instant utc = "iso".equals(format) ? plainUtc(raw) : null;
                if (utc != null) { // the common case, without the formatter (4 % of the hub's CPU in the benchmark)
                    return new TimedCapture(utc.truncatedTo(ChronoUnit.MILLIS), raw, declared != null ? declared : TimeSource.DEVICE_UTC);
                }
                // a camera's own pattern (registry timeFormats) replaces the mapping's: the date order of some vendors
                // follows the camera's locale, which no mapping can know; epochs and ISO times are never ambiguous
                String own = "iso".equals(format) || camera == null || connector == null ? null
                        : camera.timeFormats().get(connector);
                if (own != null) {
                    format = own;
                }
                DateTimeFormatter f = "iso".equals(format) ? ISO : own != null
                        ? CAMERA_PATTERNS.computeIfAbsent(own, TimePatterns::camera)
                        : PATTERNS.computeIfAbsent(format, Normaliser::pattern);
                TemporalAccessor parsed;
                try {
                    parsed = f.parse(raw.trim());
                } catch (DateTimeException e) {
                    throw new RejectedException("invalid-capture-time", "capture time does not match format '" + format + "'"
                            + (own != null ? " (camera " + camera.cameraId() + "'s timeFormats." + connector + " in the registry)" : ""));
                }
                LocalDateTime local = LocalDateTime.from(parsed);
                if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                    ZoneOffset offset = ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS));
                    instant = local.toInstant(offset);
                    source = offset.getTotalSeconds() == 0 ? TimeSource.DEVICE_UTC : TimeSource.DEVICE_OFFSET;
                } else {
                    ZoneId zone = camera != null && camera.timeZone() != null ? camera.timeZone() : policy.fallbackZone();
                    if (zone == null) {
                        throw new RejectedException("time-zone-unknown", "the capture time has no offset and camera "
                                + (camera == null ? "(unknown)" : camera.cameraId())
                                + " has no timeZone in the registry; add one");
                    }
                    instant = local.atZone(zone).toInstant();
                    source = TimeSource.DEVICE_LOCAL_ASSUMED_TZ;
                }
            }
        }
        return new TimedCapture(instant.truncatedTo(ChronoUnit.MILLIS), raw, declared != null ? declared : source);
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} read by position, or null for anything else (which the ISO formatter
     * then parses, or refuses). Same result as the formatter for the strings it accepts.
     */
    static Instant plainUtc(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n == 21) {
                return null;
            }
            for (int i = 20; i < n - 1; i++) {
                int d = s.charAt(i) - '0';
                if (d < 0 || d > 9) {
                    return null;
                }
                nanos = nanos * 10 + d;
            }
            for (int i = n - 1; i < 29; i++) {
                nanos *= 10;
            }
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // e.g. month 13: the formatter refuses it with the usual reason
        }
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static DateTimeFormatter pattern(String pattern) {
        try {
            return TimePatterns.mapping(pattern);
        } catch (IllegalArgumentException e) {
            throw new RejectedException("mapping-failed", "timeFormat '" + pattern + "' is not a valid pattern");
        }
    }

    /** Epoch value to milliseconds, refusing values whose magnitude betrays the wrong unit. */
    private static long epoch(String raw, double toMillis, String unit) {
        BigDecimal value;
        try {
            value = new BigDecimal(raw.trim());
        } catch (NumberFormatException e) {
            throw new RejectedException("invalid-capture-time", "capture time is not a number of epoch " + unit);
        }
        // exact decimal arithmetic, truncated to the millisecond like ISO fractions (1714566890.102934 s -> ...890102 ms)
        BigDecimal exact = value.multiply(BigDecimal.valueOf(toMillis));
        double ms = exact.doubleValue();
        if (ms < EPOCH_MS_MIN || ms > EPOCH_MS_MAX) {
            String guess = ms > EPOCH_MS_MAX * 100 ? "a smaller unit (e.g. microseconds instead of milliseconds)"
                    : ms < EPOCH_MS_MIN / 100 ? "a larger unit (e.g. seconds instead of milliseconds)" : "out of range";
            throw new RejectedException("implausible-epoch", "epoch " + unit + " value is outside 2000-2100: looks like "
                    + guess + "; check the connector's timeFormat");
        }
        return exact.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    private void validateTime(Instant capture, Instant received) {
        Instant now = received != null ? received : policy.clock().instant();
        if (capture.isAfter(now.plus(policy.futureSkew()))) {
            throw new RejectedException("future-capture-time", "capture time is "
                    + Duration.between(now, capture).toSeconds() + " s in the future (allowed skew "
                    + policy.futureSkew().toSeconds() + " s); check the camera clock or its timeZone");
        }
        // Age is judged against the clock, not receipt: a quarantined read re-processed days later must still be in the window.
        if (policy.maxAge() != null && capture.isBefore(policy.clock().instant().minus(policy.maxAge()))) {
            throw new RejectedException("expired-capture-time", "capture time is older than the retention window of "
                    + policy.maxAge().toDays() + " days");
        }
    }

    private static Integer confidence(JsonNode value, JsonNode scale) {
        Double v = number(value, "confidence");
        if (v == null) {
            return null;
        }
        double s = scale == null || scale.isNull() ? 100 : scale.asDouble(100);
        // decimal arithmetic: 0.285 * 100 in binary is 28.4999..., which would round down
        BigDecimal pct = s == 1 ? BigDecimal.valueOf(v).movePointRight(2) : s == 1000 ? BigDecimal.valueOf(v).movePointLeft(1)
                : BigDecimal.valueOf(v);
        if (pct.signum() < 0 || pct.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new RejectedException("malformed-field", "confidence is outside its scale 0-" + (s == 1000 ? 999 : (int) s));
        }
        return pct.setScale(0, RoundingMode.HALF_UP).intValue();
    }

    private static Direction direction(String raw, Camera camera) {
        if (raw == null) {
            return null;
        }
        String key = raw.trim().toLowerCase(Locale.ROOT);
        if (camera != null && camera.directions().containsKey(key)) {
            return camera.directions().get(key);
        }
        return DIRECTION_WORDS.getOrDefault(key, Direction.UNKNOWN);
    }

    private static Double coordinate(JsonNode decimal, VendorRead.Dms dms, String name, double limit) {
        Double value = number(decimal, name);
        if (value == null && dms != null) {
            Double deg = number(dms.degree(), name);
            if (deg != null) {
                double min = orZero(number(dms.minute(), name));
                double sec = orZero(number(dms.sec(), name));
                value = deg + min / 60 + sec / 3600;
                String dir = dms.direction() == null ? "" : dms.direction().trim().toUpperCase(Locale.ROOT);
                if (dir.startsWith("S") || dir.startsWith("W")) {
                    value = -value;
                }
                value = BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).doubleValue();
            }
        }
        if (value != null && Math.abs(value) > limit) {
            throw new RejectedException("malformed-field", name + " is outside -" + (int) limit + ".." + (int) limit);
        }
        return value;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    private static byte[] image(VendorRead.Image image, RawMessage message, Map<String, Attachment> attachments,
                                String kind, List<String> flags, long maxBytes) {
        if (image == null) {
            return null;
        }
        byte[] bytes = null;
        if (image.base64() != null) {
            if (image.base64().length() / 4 * 3L > maxBytes + 3 * 1024L) { // before decoding (whitespace and prefix allowed for)
                throw tooLarge(kind, maxBytes);
            }
            try {
                bytes = Base64.getDecoder().decode(base64Bytes(image.base64()));
            } catch (IllegalArgumentException e) {
                throw new RejectedException("invalid-image", "the " + kind + " image is not valid base64");
            }
        } else if (image.part() != null) {
            Attachment a = attachments.get(image.part());
            if (a == null) {
                flags.add(kind + "-image-missing");
                return null;
            }
            bytes = a.bytes();
        } else if (Boolean.TRUE.equals(image.payload())) {
            Attachment a = attachments.get("payload");
            bytes = a != null ? a.bytes() : message.payload();
        }
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(kind, maxBytes);
        }
        if (!isJpeg(bytes) && !isPng(bytes)) {
            throw new RejectedException("bad-image", "the " + kind + " image is neither JPEG nor PNG");
        }
        return bytes;
    }

    private static RejectedException tooLarge(String kind, long maxBytes) {
        return new RejectedException("image-too-large", "the " + kind + " image is larger than "
                + maxBytes / 1024 + " KB (anpr.ingest.max-image-size)");
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF;
    }

    private static boolean isPng(byte[] b) {
        return b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    /**
     * The base64 text of an image (after a {@code data:...,} prefix) as bytes without whitespace, such as the CRLF
     * every 76 characters of MIME base64: one pass over bytes, where a char-by-char copy cost a fifth of an XML read.
     * Still for the strict decoder: getMimeDecoder() would silently skip garbage too.
     */
    static byte[] base64Bytes(String b64) {
        String data = b64.startsWith("data:") ? b64.substring(b64.indexOf(',') + 1) : b64;
        byte[] b = data.getBytes(StandardCharsets.ISO_8859_1); // a char beyond Latin-1 becomes '?': not base64
        int n = 0;
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            boolean space = c >= 0 && c <= ' ' ? (c >= 9 && c <= 13) || c >= 28 // Character.isWhitespace in Latin-1
                    : c == '?' && Character.isWhitespace(data.charAt(i)); // U+2028 and the like, skipped as before
            if (!space) {
                b[n++] = c;
            }
        }
        return n == b.length ? b : Arrays.copyOf(b, n);
    }

    private static ImageRef imageRef(VendorRead.Image image, byte[] bytes) {
        if (bytes != null) {
            return new ImageRef(sniff(bytes, image.contentType()), sha256(bytes), (long) bytes.length, null);
        }
        return image != null && image.url() != null ? new ImageRef(image.contentType(), null, null, image.url()) : null;
    }

    /** The type of an image {@link #image} accepted (JPEG or PNG), whatever the camera declared. */
    static String sniff(byte[] b, String declared) {
        return isPng(b) ? "image/png" : "image/jpeg";
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(SHA256.get().digest(bytes)); // digest() also resets it for the next use
    }

    private static Integer lane(JsonNode node) {
        Double d = number(node, "lane");
        if (d != null && (d < 0 || d > MAX_LANE)) {
            throw new RejectedException("malformed-field", "lane is outside 0.." + MAX_LANE);
        }
        return d == null ? null : (int) Math.round(d);
    }

    private static Double heading(JsonNode node) {
        Double d = number(node, "headingDeg");
        if (d != null && (d < 0 || d > 360)) {
            throw new RejectedException("malformed-field", "headingDeg is outside 0..360");
        }
        return d;
    }

    private static Double number(JsonNode node, String name) {
        if (node != null && node.isContainerNode()) {
            throw new RejectedException("malformed-field", name + " is an object or array, not a number");
        }
        String s = text(node);
        if (s == null) {
            return null;
        }
        double d;
        if (node.isNumber()) {
            d = node.asDouble();
        } else {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new RejectedException("malformed-field", name + " is not a number");
            }
        }
        if (!Double.isFinite(d)) { // 1e999, "Infinity", "NaN": no arithmetic or store may see them
            throw new RejectedException("malformed-field", name + " is not a finite number");
        }
        return d;
    }

    /** Text of a field; null, empty and the vendors' "-" placeholder all mean absent. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String s = node.isTextual() ? node.textValue()
                : node.isFloatingPointNumber() && Double.isFinite(node.doubleValue())
                ? node.decimalValue().toPlainString() // the digits as sent (1607123955.475377), not 1.607123955475377E9
                : node.asText();
        String t = s.trim();
        return t.isEmpty() || t.equals("-") ? null : s;
    }

    private static String identity(VendorRead.Device d) {
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
