package uk.anprhub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser.Normalised;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A read that arrives again carrying a picture its stored copy lacks (a Hikvision {@code hasMoreData} follow-up
 * post under the same event UUID; a camera that sends the overview after the plate crop) gets that picture: it is
 * written under the stored read's id and its reference set in the stored body, in the same transaction. A picture
 * the stored read holds already is never replaced (the first one is the evidence), so a repeat changes nothing.
 * Delivery reads the references when it sends, so a read not yet sent goes out with the late picture; one sent
 * already is not sent again. If the transaction then fails, the file written stays unreferenced and the retry
 * writes the same bytes again. Raw JDBC: it runs on the group commit's connection and transaction (hot path).
 */
final class LatePictures {

    private static final Logger log = LoggerFactory.getLogger(LatePictures.class);

    /** The stored copy of a read that arrived again: its id and whether each picture is held already. */
    private static final String FIND_STORED = """
            select read_id, body #>> '{plateImage,sha256}' is not null, body #>> '{overviewImage,sha256}' is not null
            from nas_read where idempotency_key = ? and captured_at = ?::timestamptz for update""";
    private static final String ATTACH_PICTURE = """
            update nas_read set body = jsonb_set(body, ?::text[], ?::jsonb)
            where idempotency_key = ? and captured_at = ?::timestamptz""";

    private final ImageStore images;
    private final ObjectWriter refJson;
    private final AtomicLong attached = new AtomicLong();

    LatePictures(ImageStore images, ObjectWriter refJson) {
        this.images = images;
        this.refJson = refJson;
    }

    /** For each read of the batch that was a duplicate ({@code ids} in the order of {@code reads}) and carries a picture. */
    void attach(Connection c, List<Normalised> reads, List<UUID> ids, Set<UUID> inserted)
            throws SQLException, JsonProcessingException {
        for (int k = 0; k < reads.size(); k++) {
            Normalised n = reads.get(k);
            if (inserted.contains(ids.get(k)) || (n.plateImage() == null && n.overviewImage() == null)) {
                continue;
            }
            NasRead read = n.read();
            String captured = read.captureTimeUtc().toString();
            UUID storedId;
            boolean hasPlate;
            boolean hasOverview;
            try (PreparedStatement find = c.prepareStatement(FIND_STORED)) {
                find.setString(1, read.idempotencyKey());
                find.setString(2, captured);
                try (ResultSet rs = find.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    storedId = rs.getObject(1, UUID.class);
                    hasPlate = rs.getBoolean(2);
                    hasOverview = rs.getBoolean(3);
                }
            }
            LocalDate day = read.captureTimeUtc().atOffset(ZoneOffset.UTC).toLocalDate();
            if (n.plateImage() != null && !hasPlate && read.plateImage() != null) {
                attach(c, read, captured, day, storedId, "plate", "plateImage", n.plateImage(), read.plateImage());
            }
            if (n.overviewImage() != null && !hasOverview && read.overviewImage() != null) {
                attach(c, read, captured, day, storedId, "overview", "overviewImage", n.overviewImage(), read.overviewImage());
            }
        }
    }

    private void attach(Connection c, NasRead read, String captured, LocalDate day, UUID storedId, String kind,
                        String field, byte[] bytes, NasRead.ImageRef ref) throws SQLException, JsonProcessingException {
        images.put(day, storedId, kind, bytes);
        try (PreparedStatement up = c.prepareStatement(ATTACH_PICTURE)) {
            up.setArray(1, c.createArrayOf("text", new String[]{field}));
            up.setString(2, refJson.writeValueAsString(ref));
            up.setString(3, read.idempotencyKey());
            up.setString(4, captured);
            up.executeUpdate();
        }
        attached.incrementAndGet();
        log.debug("A late {} picture attached to stored read {}", kind, storedId);
    }

    /** Pictures attached to reads stored earlier (since start). */
    long attached() {
        return attached.get();
    }
}
