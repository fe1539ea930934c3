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

/**
 * Images as files: {@code <root>/<yyyy-MM-dd>/<readId>-<kind>}. A failed write is a {@link PictureFault} (retry
 * later) and is remembered until a write succeeds again, for the health component {@code images}.
 */
public final class FileImageStore implements ImageStore {

    private final Path root;
    /** The class of the last write failure, null once a write succeeded since. */
    private volatile String lastFault;

    public FileImageStore(Path root) {
        this.root = root;
    }

    @Override
    public void put(LocalDate day, UUID readId, String kind, byte[] bytes) {
        Path file = file(day, readId, kind);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            lastFault = null;
        } catch (IOException e) {
            try { // a partly written picture is no use to anyone
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the start-up sweep removes it
            }
            lastFault = fault(e);
            throw new PictureFault("cannot write a picture (" + lastFault + ")", e);
        }
    }

    /** Null when pictures can be written; else why not. Probes the store again (a tiny file) while it is failing. */
    public String fault() {
        if (lastFault != null) {
            try {
                Files.createDirectories(root);
                Path probe = Files.createTempFile(root, ".probe", null);
                Files.write(probe, new byte[1]);
                Files.delete(probe);
                lastFault = null;
            } catch (IOException e) {
                lastFault = fault(e);
            }
        }
        return lastFault;
    }

    public Path root() {
        return root;
    }

    private static String fault(IOException e) {
        String m = e.getMessage();
        return m != null && m.contains("No space left on device") ? "no space left on device" : e.getClass().getSimpleName();
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
