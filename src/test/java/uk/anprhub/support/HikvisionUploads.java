package uk.anprhub.support;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Files as a Hikvision camera uploads them over FTP (connectors/hikvision-ftp), for the FTP tests. */
public final class HikvisionUploads {

    private static final String LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");

    private HikvisionUploads() {
    }

    /** A plate unique to this run, e.g. {@code FT12QZX}. */
    public static String plate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder s = new StringBuilder("F").append(LETTERS.charAt(r.nextInt(LETTERS.length())))
                .append(r.nextInt(10)).append(r.nextInt(10));
        for (int i = 0; i < 3; i++) {
            s.append(LETTERS.charAt(r.nextInt(LETTERS.length())));
        }
        return s.toString();
    }

    /**
     * The samples' name pattern ({@code yyyyMMddHHmmssSSS_PLATE_VEHICLE_DETECTION.jpg}) with the current camera-local
     * time (the demo cameras are in Europe/London), so the read is not expired.
     */
    public static String fileName(String plate) {
        return LocalDateTime.now(ZoneId.of("Europe/London")).minusSeconds(5).format(STAMP) + "_" + plate + "_VEHICLE_DETECTION.jpg";
    }
}
