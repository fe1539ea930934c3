package uk.anprhub.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.IOException;

/** A real PostgreSQL (embedded binaries, no Docker) migrated with the hub's Flyway scripts. */
public final class TestDatabase implements AutoCloseable {

    private final EmbeddedPostgres pg;

    private TestDatabase(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    public static TestDatabase start() throws IOException {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
        return new TestDatabase(pg);
    }

    public DataSource dataSource() {
        return pg.getPostgresDatabase();
    }

    public String jdbcUrl() {
        return pg.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
