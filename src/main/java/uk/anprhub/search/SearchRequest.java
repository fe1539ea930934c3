package uk.anprhub.search;

import uk.anprhub.model.Confusions;
import java.util.List;

/**
 * A search as sent: JSON body of {@code POST} or query parameters of {@code GET /api/v1/reads/search} (lists as
 * repeated or comma-separated parameters). Checked and bounded by {@link SearchQuery#of}.
 *
 * @param vrm       plate: exact, or with {@code *} / {@code ?}; spaces and hyphens are ignored, case too
 * @param fuzzy     also match plates that differ only by OCR confusions ({@link Confusions})
 * @param from      start of the time range (ISO 8601), inclusive
 * @param to        end of the time range, exclusive
 * @param cameras   camera ids (any of them)
 * @param direction TOWARDS, AWAY or UNKNOWN
 * @param bbox      minLat, minLon, maxLat, maxLon
 * @param cursor    the {@code nextCursor} of the previous page
 * @param format    export only: json (default) or csv
 * @param images    export only: include the pictures (default true)
 */
public record SearchRequest(String vrm, Boolean fuzzy, String from, String to, List<String> cameras, String direction,
                            List<Double> bbox, Integer pageSize, String cursor,
                            String reason, String reference, String purpose, String format, Boolean images) {
}
