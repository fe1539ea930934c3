package uk.anprhub.store;

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
}
