package uk.anprhub.model;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * The {@code java.time} patterns of capture times: a mapping's {@code timeFormat}, and a camera's per-connector
 * override from the registry ({@code timeFormats}), which is checked when the registry loads.
 */
public final class TimePatterns {

    /** A date and time whose day (24) cannot pass for a month, used to prove a pattern reads back what it writes. */
    private static final LocalDateTime PROBE = LocalDateTime.of(2024, 10, 24, 20, 29, 26);

    private TimePatterns() {
    }

    /** A mapping's pattern, exactly as written. */
    public static DateTimeFormatter mapping(String pattern) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern).toFormatter(Locale.ROOT);
    }

    /**
     * A camera's pattern: the date and time as that camera writes them, plus any offset or {@code Z} the vendor (or
     * the mapping, for a UTC field) appends — so ops write only the locale's order, e.g. {@code d/M/yyyy H:mm:ss}.
     */
    public static DateTimeFormatter camera(String pattern) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)
                .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
                .toFormatter(Locale.ROOT);
    }

    /** Why a camera's pattern cannot be used (for the registry's error), or null when it is fine. */
    public static String problem(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return "is empty";
        }
        DateTimeFormatter f;
        try {
            f = camera(pattern);
        } catch (IllegalArgumentException e) {
            return "is not a java.time pattern (" + e.getMessage() + ")";
        }
        String written;
        try {
            written = f.format(PROBE);
        } catch (DateTimeException e) {
            try { // a pattern with its own offset letters
                written = f.format(PROBE.atOffset(ZoneOffset.UTC));
            } catch (DateTimeException e2) {
                return "cannot write a date and time (" + e2.getMessage() + ")";
            }
        }
        try {
            TemporalAccessor parsed = f.parse(written);
            LocalDateTime back = LocalDateTime.from(parsed);
            if (back.getYear() != PROBE.getYear() || back.getMonthValue() != PROBE.getMonthValue()
                    || back.getDayOfMonth() != PROBE.getDayOfMonth() || back.getHour() != PROBE.getHour()
                    || back.getMinute() != PROBE.getMinute()) {
                return "does not read back what it writes (" + PROBE + " -> '" + written + "' -> " + back + ")";
            }
        } catch (DateTimeException e) {
            return "needs a year, month, day, hour and minute (with am/pm for a 12-hour clock): it writes "
                    + PROBE.toLocalDate() + " " + PROBE.toLocalTime() + " as '" + written + "', which does not read back";
        }
        return null;
    }
}
