package uk.anprhub.connector;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Where connector descriptors and mappings are read from: the working directory's folders or the classpath. */
interface ConnectorSource {
    /** folder name to connector.yaml text */
    Map<String, String> descriptors() throws IOException;

    /** mapping text by path relative to mappings/, or null */
    String mapping(String path);

    /** Changes when a file is added, removed or modified (the classpath never changes). */
    default long stamp() {
        return 0;
    }

    /** connectors/ and mappings/ on disk (the working directory's, when both exist). */
    record Dir(Path connectors, Path mappings) implements ConnectorSource {
        @Override
        public Map<String, String> descriptors() {
            Map<String, String> out = new TreeMap<>();
            try (Stream<Path> dirs = Files.list(connectors)) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    Path yaml = dir.resolve("connector.yaml");
                    if (Files.isRegularFile(yaml) && !dir.getFileName().toString().startsWith("_")) {
                        out.put(dir.getFileName().toString(), Files.readString(yaml));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + connectors, e);
            }
            return out;
        }

        @Override
        public String mapping(String path) {
            Path p = mappings.resolve(path).normalize();
            try {
                return p.startsWith(mappings.normalize()) && Files.isRegularFile(p) ? Files.readString(p) : null;
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public long stamp() {
            long stamp = 0;
            for (Path root : List.of(connectors, mappings)) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        stamp = stamp * 31 + f.hashCode() + Files.getLastModifiedTime(f).toMillis() + Files.size(f);
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    stamp = stamp * 31 + 1; // a file vanished while walking: look again at the next check
                }
            }
            return stamp;
        }

        @Override
        public String toString() {
            return connectors.toAbsolutePath().normalize() + " and " + mappings.toAbsolutePath().normalize();
        }
    }

    /** The connectors/ and mappings/ folders the jar carries. */
    final class Classpath implements ConnectorSource {
        private final PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();

        @Override
        public Map<String, String> descriptors() throws IOException {
            Map<String, String> out = new TreeMap<>();
            for (Resource r : resolver.getResources("classpath*:connectors/*/connector.yaml")) {
                String url = r.getURL().toString();
                String[] parts = url.split("/");
                String folder = parts[parts.length - 2];
                if (!folder.startsWith("_")) {
                    try (InputStream in = r.getInputStream()) {
                        out.put(folder, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
            return out;
        }

        @Override
        public String mapping(String path) {
            if (path.contains("..")) {
                return null;
            }
            try (InputStream in = ConnectorSource.class.getClassLoader().getResourceAsStream("mappings/" + path)) {
                return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return "the classpath";
        }
    }
}
