package uk.anprhub.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded store's life cycle with real PostgreSQL: first start, restart, the lost password. */
class EmbeddedStoreIT {

    @TempDir
    Path data;

    @Test
    void aFreshStoreIsPasswordOnlyAndSurvivesARestartWithTheSamePasswordButNotTheLossOfIt() throws Exception {
        String first;
        try (EmbeddedStore store = EmbeddedStore.start(data, StoreConfiguration::embeddedPostgres)) {
            first = store.password();
            assertThat(EmbeddedStore.trustsAnyone(data.resolve("postgres/pg_hba.conf"))).isFalse();
            try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.user(), store.password());
                 Statement s = c.createStatement()) {
                s.execute("create table note (id int)");
                s.execute("insert into note values (1)");
            }
        }
        try (EmbeddedStore again = EmbeddedStore.start(data, StoreConfiguration::embeddedPostgres);
             Connection c = DriverManager.getConnection(again.jdbcUrl(), again.user(), again.password());
             ResultSet rs = c.createStatement().executeQuery("select count(*) from note")) {
            assertThat(again.password()).isEqualTo(first);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        Files.delete(data.resolve("postgres-secret"));
        assertThatThrownBy(() -> EmbeddedStore.start(data, StoreConfiguration::embeddedPostgres).close())
                .hasMessageContaining("postgres-secret, which is missing");
    }

    @Test
    void anOldTrustingStoreIsConvertedOnItsFirstStartAndItsTablesHandedToTheAppRole() throws Exception {
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data.resolve("postgres"))
                .setCleanDataDirectory(false).start();
             Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table parent (id bigserial, day date not null, primary key (id, day)) partition by range (day)");
            s.execute("create table parent_1 partition of parent for values from ('2020-01-01') to ('2020-01-02')");
            s.execute("create sequence loose");
            s.execute("create view v as select id from parent");
        }
        assertThat(EmbeddedStore.trustsAnyone(data.resolve("postgres/pg_hba.conf"))).isTrue();
        try (EmbeddedStore store = EmbeddedStore.start(data, StoreConfiguration::embeddedPostgres);
             Connection c = DriverManager.getConnection(store.jdbcUrl(), store.user(), store.password());
             Statement s = c.createStatement()) {
            assertThat(EmbeddedStore.trustsAnyone(data.resolve("postgres/pg_hba.conf"))).isFalse();
            try (ResultSet rs = s.executeQuery("select count(*) from pg_class where relnamespace = 'public'::regnamespace"
                    + " and relowner <> 'anpr'::regrole")) {
                rs.next();
                assertThat(rs.getInt(1)).as("objects in public not owned by anpr").isZero();
            }
            s.execute("insert into parent (day) values ('2020-01-01')");
            s.execute("select nextval('loose')");
            s.execute("create table parent_2 partition of parent for values from ('2020-01-02') to ('2020-01-03')");
            s.execute("drop table parent_1");
            assertThatThrownBy(() -> DriverManager.getConnection(store.jdbcUrl(), "postgres", null))
                    .isInstanceOf(SQLException.class);
        }
    }
}
