package uk.anprhub.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Where read images live, outside the database rows. Images are grouped by capture day (UTC) so that
 * retention deletes them with their day's partition.
 */
public interface ImageStore {

    void put(LocalDate day, UUID readId, String kind, byte[] bytes);

    /** @return the image, or null when it is not (or no longer) stored */
    byte[] get(LocalDate day, UUID readId, String kind);

    /** Deletes the images of one read. */
    void delete(LocalDate day, UUID readId);

    /** Deletes every image of that day; returns how many files went. */
    int deleteDay(LocalDate day);

    /** The image's size in bytes, or -1 when it is not (or no longer) stored: delivery sizes a body without loading it. */
    default long size(LocalDate day, UUID readId, String kind) {
        byte[] b = get(day, readId, kind);
        return b == null ? -1 : b.length;
    }

    /** The image as a stream, for sending without holding it whole; NoSuchFileException when it is gone. */
    default InputStream open(LocalDate day, UUID readId, String kind) throws IOException {
        byte[] b = get(day, readId, kind);
        if (b == null) {
            throw new NoSuchFileException(day + "/" + readId + "-" + kind);
        }
        return new ByteArrayInputStream(b);
    }
}
