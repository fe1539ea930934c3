package uk.anprhub.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The start-up sweep: pictures that no stored read refers to (left by a crash or a commit whose outcome was unknown)
 * are removed. Only files older than the start of this process are looked at, so a picture of a batch being written
 * now is never taken for an orphan.
 */
final class OrphanPictures {

    private static final Logger log = LoggerFactory.getLogger(OrphanPictures.class);
    private static final int CHUNK = 1000;

    private final FileImageStore images;
    private final JdbcTemplate jdbc;

    OrphanPictures(FileImageStore images, JdbcTemplate jdbc) {
        this.images = images;
        this.jdbc = jdbc;
    }

    /** @return how many files were removed */
    int sweep(Instant startedAt) {
        Path root = images.root();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> days = Files.list(root)) {
            for (Path dir : days.filter(Files::isDirectory).toList()) {
                LocalDate day;
                try {
                    day = LocalDate.parse(dir.getFileName().toString());
                } catch (java.time.format.DateTimeParseException e) {
                    continue; // not ours
                }
                removed += sweepDay(dir, day, startedAt);
            }
        } catch (IOException e) {
            log.warn("Picture sweep: cannot list {} ({})", root, e.getClass().getSimpleName());
        }
        if (removed > 0) {
            log.info("Picture sweep: removed {} picture file(s) that no stored read refers to", removed);
        }
        return removed;
    }

    private int sweepDay(Path dir, LocalDate day, Instant startedAt) throws IOException {
        Map<UUID, List<Path>> files = new HashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.toList()) {
                String name = f.getFileName().toString();
                if (name.length() < 37 || Files.getLastModifiedTime(f).toInstant().isAfter(startedAt)) {
                    continue;
                }
                try {
                    files.computeIfAbsent(UUID.fromString(name.substring(0, 36)), k -> new ArrayList<>()).add(f);
                } catch (IllegalArgumentException e) {
                    // not a picture of ours
                }
            }
        }
        List<UUID> ids = new ArrayList<>(files.keySet());
        int removed = 0;
        for (int i = 0; i < ids.size(); i += CHUNK) {
            List<UUID> chunk = ids.subList(i, Math.min(ids.size(), i + CHUNK));
            Set<UUID> known = new HashSet<>(jdbc.queryForList("""
                    select read_id from nas_read
                    where captured_at >= ? and captured_at < ? and read_id = any(?::uuid[])""", UUID.class,
                    java.sql.Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant()),
                    java.sql.Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()),
                    chunk.stream().map(UUID::toString).toArray(String[]::new)));
            for (UUID id : chunk) {
                if (!known.contains(id)) {
                    for (Path f : files.get(id)) {
                        if (Files.deleteIfExists(f)) {
                            removed++;
                        }
                    }
                }
            }
        }
        return removed;
    }
}
