package uk.anprhub.support;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Files as a Hikvision camera uploads them over FTP (connectors/hikvision-ftp), and its ISAPI HTTP push, for the tests. */
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

    /**
     * The ISAPI multipart push of connectors/hikvision-isapi (sample 002: a plate picture) with the current time and
     * the event id {@code uuid}; content type {@code multipart/form-data; boundary=boundary}.
     */
    public static byte[] isapiPush(String uuid) throws java.io.IOException {
        String sample = java.nio.file.Files.readString(java.nio.file.Path.of(
                "connectors/hikvision-isapi/samples/002-uk-retransmission-plate-picture-only.multipart"), java.nio.charset.StandardCharsets.ISO_8859_1);
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(ZoneId.of("Europe/London")).minusSeconds(20)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return sample.replaceAll("<dateTime>[^<]+</dateTime>", "<dateTime>" + now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + "</dateTime>")
                .replaceAll("<UUID>[^<]+</UUID>", "<UUID>" + uuid + "</UUID>").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
