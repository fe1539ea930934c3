package uk.anprhub.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.UUID;
import java.util.stream.Stream;

/** Images as files: {@code <root>/<yyyy-MM-dd>/<readId>-<kind>}. */
public final class FileImageStore implements ImageStore {

    private final Path root;

    public FileImageStore(Path root) {
        this.root = root;
    }

    @Override
    public void put(LocalDate day, UUID readId, String kind, byte[] bytes) {
        Path file = file(day, readId, kind);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image " + file, e);
        }
    }

    @Override
    public byte[] get(LocalDate day, UUID readId, String kind) {
        try {
            return Files.readAllBytes(file(day, readId, kind));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(LocalDate day, UUID readId) {
        try {
            Files.deleteIfExists(file(day, readId, "plate"));
            Files.deleteIfExists(file(day, readId, "overview"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int deleteDay(LocalDate day) {
        Path dir = root.resolve(day.toString());
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
                n++;
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete images of " + day, e);
        }
        return n;
    }

    @Override
    public long size(LocalDate day, UUID readId, String kind) {
        try {
            return Files.size(file(day, readId, kind));
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(LocalDate day, UUID readId, String kind) throws IOException {
        return Files.newInputStream(file(day, readId, kind));
    }

    private Path file(LocalDate day, UUID readId, String kind) {
        return root.resolve(day.toString()).resolve(readId + "-" + kind);
    }
}
