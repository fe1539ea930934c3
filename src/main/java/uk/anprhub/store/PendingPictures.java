package uk.anprhub.store;

import uk.anprhub.message.RawMessage;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser.Normalised;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Pictures the camera keeps and only references ({@code {"url": ...}}): a {@code picture_fetch} row per new read and
 * kind, in the read's own transaction, with the connector and the address the fetcher may ask (its policy and its
 * SSRF guard): the sender's, or the camera address a {@code {"ref": ...}} URL was built on. No statement at all for a batch without such references.
 */
final class PendingPictures {

    private static final String INSERT = """
            insert into picture_fetch (read_id, captured_at, kind, connector, remote_addr, url)
            values (?, ?, ?, ?, ?, ?) on conflict do nothing""";

    private PendingPictures() {
    }

    /** {@code ids} in the order of the batch's reads; only the {@code inserted} ones (a duplicate has its own row). */
    static void record(Connection c, List<ReadBatchWriter.Submission> batch, List<UUID> ids, Set<UUID> inserted)
            throws SQLException {
        PreparedStatement ps = null;
        try {
            int k = 0;
            for (ReadBatchWriter.Submission s : batch) {
                RawMessage m = s.message();
                for (Normalised n : s.reads()) {
                    UUID id = ids.get(k++);
                    if (!inserted.contains(id)) {
                        continue;
                    }
                    NasRead read = n.read();
                    for (String kind : new String[]{"plate", "overview"}) {
                        NasRead.ImageRef ref = "plate".equals(kind) ? read.plateImage() : read.overviewImage();
                        if (ref == null || ref.sha256() != null || ref.url() == null) {
                            continue;
                        }
                        if (ps == null) {
                            ps = c.prepareStatement(INSERT);
                        }
                        ps.setObject(1, id);
                        ps.setTimestamp(2, Timestamp.from(read.captureTimeUtc()));
                        ps.setString(3, kind);
                        ps.setString(4, m.connector());
                        // the camera address a referenced picture's URL was built on (registry), else the sender
                        ps.setString(5, n.pictureHost() != null ? n.pictureHost() : m.remoteAddr());
                        ps.setString(6, ref.url());
                        ps.addBatch();
                    }
                }
            }
            if (ps != null) {
                ps.executeBatch();
            }
        } finally {
            if (ps != null) {
                ps.close();
            }
        }
    }
}
