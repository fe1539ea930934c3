package uk.anprhub.search;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where the next page starts: the (captured_at, id) of the last result given. Results are ordered newest first, so
 * the next page is everything strictly before it — stable while new reads arrive (keyset pagination, no OFFSET).
 */
public record Cursor(Instant capturedAt, long id) {

    public String token() {
        String raw = capturedAt.getEpochSecond() + "." + capturedAt.getNano() + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws SearchRefusedException for anything but a token this hub made */
    public static Cursor parse(String token) {
        if (token.length() > 100) {
            throw new SearchRefusedException("cursor: not a cursor of this search");
        }
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII).split("\\.");
            if (p.length != 3) {
                throw new IllegalArgumentException();
            }
            return new Cursor(Instant.ofEpochSecond(Long.parseLong(p[0]), Long.parseLong(p[1])), Long.parseLong(p[2]));
        } catch (RuntimeException e) {
            throw new SearchRefusedException("cursor: not a cursor of this search");
        }
    }
}
