package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import uk.anprhub.camera.Camera;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.NasRead.TimeSource;
import uk.anprhub.model.TimePatterns;
import uk.anprhub.model.ValidationPolicy;
import uk.anprhub.model.VendorRead;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static uk.anprhub.normalise.FieldValues.text;

/**
 * The capture time in UTC and how it was known (contract section 4.3): epochs, ISO 8601, the mapping's pattern or the
 * camera's own (registry timeFormats), local times in the camera's zone; then the policy's future skew and age.
 */
final class CaptureTimes {

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

    private final ValidationPolicy policy;

    CaptureTimes(ValidationPolicy policy) {
        this.policy = policy;
    }

    /** A capture time: the instant (to the millisecond), the text as sent, and its source. */
    record Capture(Instant instant, String raw, TimeSource source) {
    }

    /** The read's capture time, refused when it is in the future or older than the retention window. */
    Capture capture(VendorRead in, Camera camera, String connector, Instant received) {
        Capture time = parse(in, camera, connector);
        validate(time.instant(), received);
        return time;
    }

    private Capture parse(VendorRead in, Camera camera, String connector) {
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
                    return new Capture(utc.truncatedTo(ChronoUnit.MILLIS), raw, declared != null ? declared : TimeSource.DEVICE_UTC);
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
                        : PATTERNS.computeIfAbsent(format, CaptureTimes::pattern);
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
        return new Capture(instant.truncatedTo(ChronoUnit.MILLIS), raw, declared != null ? declared : source);
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

    private void validate(Instant capture, Instant received) {
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
}
