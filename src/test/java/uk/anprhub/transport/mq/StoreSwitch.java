package uk.anprhub.transport.mq;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The hub's DataSource behind a switch, so a test can make the store unavailable exactly as a stopped database
 * looks to the hub (every new connection fails with SQLState 08001, as Hikari does after its connection timeout)
 * without stopping the PostgreSQL the rest of the context uses, and without waiting out pool timeouts. Installed
 * only in the MQ tests' own Spring context ({@link MqHubIT}), so no other test sees it.
 */
public final class StoreSwitch extends DelegatingDataSource implements AutoCloseable {

    private volatile boolean down;

    StoreSwitch(DataSource target) {
        super(target);
    }

    public void down() {
        down = true;
    }

    public void up() {
        down = false;
    }

    /** The real pool, for the test's own queries while the switch is off. */
    public DataSource real() {
        return obtainTargetDataSource();
    }

    @Override
    public Connection getConnection() throws SQLException {
        check();
        return super.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        check();
        return super.getConnection(username, password);
    }

    private void check() throws SQLException {
        if (down) {
            throw new SQLTransientConnectionException("store switched off by the test", "08001");
        }
    }

    @Override
    public void close() throws Exception {
        if (obtainTargetDataSource() instanceof AutoCloseable c) {
            c.close();
        }
    }

    /** Wraps the bean named {@code dataSource}. */
    static final class Installer implements BeanPostProcessor {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
            return name.equals("dataSource") && bean instanceof DataSource ds && !(bean instanceof StoreSwitch)
                    ? new StoreSwitch(ds) : bean;
        }
    }
}
