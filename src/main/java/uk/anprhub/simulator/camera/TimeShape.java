package uk.anprhub.simulator.camera;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a vendor wrote a capture time, found by trying the formats vendors use on a sample's raw time
 * ({@code captureTimeRaw} of its expected read) until one renders the expected instant back as exactly that text.
 * Then any instant can be written the same way.
 */
record TimeShape(String name, Function<Instant, String> render) {

    /** Patterns with an offset (rendered in the sample's offset) and without (rendered in a zone). */
    private static final String[] PATTERNS = {
            "yyyy-MM-dd'T'HH:mm:ss.SSSX", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSX", "yyyy-MM-dd'T'HH:mm:ssX",
            "yyyy-MM-dd'T'HH:mm:ss.SSSxxx", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", "yyyy-MM-dd'T'HH:mm:ssxxx",
            "yyyy-MM-dd'T'HH:mm:ss.SSSxx", "yyyy-MM-dd'T'HH:mm:ssxx", "yyyyMMdd'T'HHmmssxx", "yyyyMMdd'T'HHmmss.SSSxx",
            "yyyy-MM-dd HH:mm:ss.SSSX", "yyyy-MM-dd HH:mm:ssX", "yyyy-MM-dd HH:mm:ss O", "yyyy-MM-dd HH:mm:ss.SSS O",
            "MM/dd/yyyy HH:mm:ssX", "M/d/yyyy HH:mm:ssX", "yyyy:MM:dd HH:mm:ss.SSSX", "yyyy:MM:dd HH:mm:ssX",
            "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.SSS",
            "yyyy-MM-dd HH:mm:ss", "yyyyMMddHHmmssSSS", "yyyyMMddHHmmss", "yyyyMMdd'T'HHmmssSSSS", "yyyyMMdd'T'HHmmss",
            "dd/MM/yyyy HH:mm:ss", "yyyy/MM/dd HH:mm:ss", "yyyy:MM:dd HH:mm:ss.SSS", "yyyy:MM:dd HH:mm:ss"};

    /**
     * @param raw      the time as the sample wrote it
     * @param expected the instant the hub made of it (millisecond precision)
     * @param zones    zones to try for times without an offset (the camera's first)
     */
    static Optional<TimeShape> detect(String raw, Instant expected, List<ZoneId> zones) {
        String t = raw.trim();
        if (t.matches("\\d{10,16}")) {
            long v = Long.parseLong(t);
            if (t.length() == 13 && v == expected.toEpochMilli()) {
                return Optional.of(new TimeShape("epoch-ms", i -> Long.toString(i.toEpochMilli())));
            }
            if (t.length() == 10 && v == expected.getEpochSecond()) {
                return Optional.of(new TimeShape("epoch-s", i -> Long.toString(i.getEpochSecond())));
            }
            if (t.length() == 16 && v / 1000 == expected.toEpochMilli()) {
                return Optional.of(new TimeShape("epoch-us", i -> Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, i))));
            }
        }
        if (t.matches("\\d{10}\\.\\d{1,9}")) {
            int digits = t.length() - 11;
            if (Long.parseLong(t.substring(0, 10)) == expected.getEpochSecond()) {
                return Optional.of(new TimeShape("epoch-s." + digits, i -> {
                    String nanos = String.format("%09d", i.getNano());
                    return i.getEpochSecond() + "." + nanos.substring(0, digits);
                }));
            }
        }
        for (String p : PATTERNS) {
            DateTimeFormatter f = DateTimeFormatter.ofPattern(p, Locale.ROOT);
            boolean offset = p.contains("X") || p.contains("x") || p.contains("O");
            try {
                TemporalAccessor parsed = f.parse(t);
                if (offset) {
                    OffsetDateTime odt = OffsetDateTime.from(parsed);
                    ZoneOffset zone = odt.getOffset();
                    if (odt.toInstant().truncatedTo(ChronoUnit.MILLIS).equals(expected) && f.format(odt).equals(t)) {
                        DateTimeFormatter z = f.withZone(zone);
                        return Optional.of(new TimeShape(p + " @" + zone, z::format));
                    }
                } else {
                    LocalDateTime ldt = LocalDateTime.from(parsed);
                    for (ZoneId zone : zones) {
                        if (ldt.atZone(zone).toInstant().truncatedTo(ChronoUnit.MILLIS).equals(expected) && f.format(ldt).equals(t)) {
                            DateTimeFormatter z = f.withZone(zone);
                            return Optional.of(new TimeShape(p + " in " + zone, z::format));
                        }
                    }
                }
            } catch (RuntimeException notThisOne) {
                // next pattern
            }
        }
        return Optional.empty();
    }

    static List<ZoneId> zones(ZoneId cameraZone) {
        List<ZoneId> zones = new ArrayList<>();
        if (cameraZone != null) {
            zones.add(cameraZone);
        }
        zones.add(ZoneOffset.UTC);
        zones.add(ZoneId.of("Europe/London"));
        return zones;
    }
}
