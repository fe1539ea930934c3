package uk.anprhub.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The embedded store for a command-line tool ({@code bin/anpr-hub audit verify}): a connection as the hub's role to the
 * server of a running hub (port in {@code postgres-port}, password in {@code postgres-secret}), or, when no hub runs
 * on that data directory, to a server started for the tool and stopped when the connection is closed.
 */
public final class StoreAccess implements AutoCloseable {

    private final Connection connection;
    private final EmbeddedStore startedHere;

    private StoreAccess(Connection connection, EmbeddedStore startedHere) {
        this.connection = connection;
        this.startedHere = startedHere;
    }

    public static StoreAccess open(Path dataDir) throws IOException, SQLException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path secret = dir.resolve("postgres-secret");
        Path portFile = dir.resolve("postgres-port");
        if (!Files.exists(dir.resolve("postgres").resolve("PG_VERSION"))) {
            throw new IOException("no embedded store in " + dir + " (set ANPR_DATA_DIR, or ANPR_DB_URL for an external database)");
        }
        if (Files.exists(dir.resolve("postgres").resolve("postmaster.pid")) && Files.exists(portFile) && Files.exists(secret)) {
            int port = Integer.parseInt(Files.readString(portFile).trim());
            return new StoreAccess(connect("jdbc:postgresql://localhost:" + port + "/" + EmbeddedStore.DATABASE,
                    StoreSecret.readOrCreate(secret)), null);
        }
        EmbeddedStore store = EmbeddedStore.start(dir, StoreConfiguration::embeddedPostgres);
        try {
            return new StoreAccess(connect(store.jdbcUrl(), store.password()), store);
        } catch (SQLException e) {
            store.close();
            throw e;
        }
    }

    private static Connection connect(String url, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", EmbeddedStore.APP_ROLE);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(url, p);
    }

    public Connection connection() {
        return connection;
    }

    @Override
    public void close() throws IOException, SQLException {
        try {
            connection.close();
        } finally {
            if (startedHere != null) {
                startedHere.close();
            }
        }
    }
}
