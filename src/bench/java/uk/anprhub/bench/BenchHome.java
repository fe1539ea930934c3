package uk.anprhub.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where connectors/, mappings/ and config/ are: system property {@code anpr.home}, else the working directory. */
public final class BenchHome {

    public static Path get() {
        Path home = Path.of(System.getProperty("anpr.home", ".")).toAbsolutePath().normalize();
        if (!Files.isDirectory(home.resolve("connectors"))) {
            throw new IllegalStateException("no connectors/ under " + home
                    + ": run from the project folder (bench/jmh.sh does) or set -Danpr.home=...");
        }
        return home;
    }

    /** The hub's logs (catalog, registry, Flyway, Hikari) are noise in a benchmark's output. */
    public static void quietLogging() {
        try {
            org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            if (root instanceof ch.qos.logback.classic.Logger logback) {
                logback.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        } catch (LinkageError e) {
            // another slf4j binding: leave it
        }
    }

    /** A pool on an embedded PostgreSQL as the hub's store opens it ({@code reWriteBatchedInserts}). */
    public static com.zaxxer.hikari.HikariDataSource pool(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg,
                                                         String name, int size) {
        com.zaxxer.hikari.HikariConfig c = new com.zaxxer.hikari.HikariConfig();
        c.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        c.setUsername("postgres");
        c.setMaximumPoolSize(size);
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        c.setPoolName(name);
        return new com.zaxxer.hikari.HikariDataSource(c);
    }

    /** Writes a benchmark's Markdown report (its folder created if needed). */
    public static void report(Path out, CharSequence markdown) throws java.io.IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
    }

    /** Deletes a benchmark's scratch folder and everything in it. */
    public static void delete(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private BenchHome() {
    }
}
