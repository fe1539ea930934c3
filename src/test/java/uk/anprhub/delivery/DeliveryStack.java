package uk.anprhub.delivery;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.simulator.nas.NasSimulator;
import uk.anprhub.store.FileImageStore;
import uk.anprhub.store.Partitions;
import uk.anprhub.support.TestDatabase;

import java.nio.file.Files;
import java.time.Clock;

/** What the delivery ITs stand on: a real PostgreSQL with this week's partitions, a pool, an image store, a NAS simulator. */
final class DeliveryStack implements AutoCloseable {

    final TestDatabase db;
    final HikariDataSource ds;
    final JdbcTemplate jdbc;
    final FileImageStore images;
    final NasSimulator nas;

    private DeliveryStack(TestDatabase db, HikariDataSource ds, FileImageStore images, NasSimulator nas) {
        this.db = db;
        this.ds = ds;
        this.jdbc = new JdbcTemplate(ds);
        this.images = images;
        this.nas = nas;
    }

    /** {@code poolSize}: connections the test's delivery services and writers share. */
    static DeliveryStack start(int poolSize, String name) throws Exception {
        TestDatabase db = TestDatabase.start();
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        c.setMaximumPoolSize(poolSize);
        HikariDataSource ds = new HikariDataSource(c);
        FileImageStore images = new FileImageStore(Files.createTempDirectory(name + "-images"));
        new Partitions(new JdbcTemplate(ds), images, Clock.systemUTC(), 7, 1).ensure();
        return new DeliveryStack(db, ds, images, NasSimulator.start(0));
    }

    @Override
    public void close() throws Exception {
        nas.close();
        ds.close();
        db.close();
    }
}
