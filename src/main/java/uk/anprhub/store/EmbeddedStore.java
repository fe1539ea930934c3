package uk.anprhub.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The hub's own PostgreSQL (no {@code ANPR_DB_URL}), locked down against the other accounts of the machine: SCRAM
 * passwords on every connection (no {@code trust}), loopback TCP only, no Unix socket, the generated password in
 * {@code <data>/postgres-secret} (0600), and the hub working as the non-superuser role {@value #APP_ROLE} that owns
 * its schema. The superuser {@code postgres} has the same password and is used only here, at start.
 *
 * <p>zonky starts the server; its {@code initdb} always runs {@code -A trust} without a password, but passes its
 * "locale" options on as {@code --key=value}, so {@code --auth} and {@code --pwfile} make a fresh cluster
 * password-only from its first second, and its data-directory hook rewrites {@code pg_hba.conf} before every start.
 * A data directory of the old hub (trusting everyone) is started once as it was, given the password, and restarted.
 */
final class EmbeddedStore implements AutoCloseable {

    static final String APP_ROLE = "anpr";
    static final String SUPERUSER = "postgres";
    static final String DATABASE = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);
    private static final String HBA = """
            # Written by ANPR Hub at every start (uk.anprhub.store.EmbeddedStore): passwords (SCRAM) only, loopback only.
            # The password is in ../postgres-secret. Edits here are overwritten.
            local all all               scram-sha-256
            host  all all 127.0.0.1/32  scram-sha-256
            host  all all ::1/128       scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedStore(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Starts (first time: creates) the store in {@code <dataDir>/postgres} with the password in
     * {@code <dataDir>/postgres-secret}.
     *
     * @param settings a new builder with the server's tuning ({@link StoreConfiguration#embeddedPostgres()})
     */
    static EmbeddedStore start(Path dataDir, Supplier<EmbeddedPostgres.Builder> settings) throws IOException {
        Path pgData = dataDir.resolve("postgres");
        Path secretFile = dataDir.resolve("postgres-secret");
        boolean exists = Files.exists(pgData.resolve("PG_VERSION"));
        boolean trusting = exists && trustsAnyone(pgData.resolve("pg_hba.conf"));
        if (exists && !trusting && !Files.exists(secretFile)) {
            throw new IOException("The embedded store " + pgData + " is protected by the password in " + secretFile
                    + ", which is missing: restore it from a backup (or move " + pgData + " aside to start with an empty store)");
        }
        String password = StoreSecret.readOrCreate(secretFile);
        if (trusting) {
            setSuperuserPassword(pgData, settings.get(), password);
        }
        EmbeddedPostgres pg;
        long running = postmasterPid(pgData); // another hub's server, if one runs on this directory: never ours to stop
        Path portFile = dataDir.resolve("postgres-port");
        try {
            EmbeddedPostgres.Builder b = locked(settings.get(), pgData, secretFile, password)
                    .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath()));
            int port = rememberedPort(portFile);
            if (port > 0) {
                b.setPort(port);
            }
            pg = b.start();
        } catch (IOException | RuntimeException e) {
            stopLeftOver(pgData, running); // zonky leaves the server running when its readiness check fails (e.g. a wrong password)
            throw e;
        }
        try {
            secure(pg.getPort(), password);
        } catch (SQLException | RuntimeException e) {
            pg.close();
            throw new IOException("Could not set up the embedded store's roles (SQLState "
                    + (e instanceof SQLException s ? s.getSQLState() : "-") + ")", e);
        }
        Files.writeString(portFile, pg.getPort() + "\n");
        log.info("Embedded PostgreSQL on localhost:{} (SCRAM, loopback only); the hub connects as '{}', password in {}",
                pg.getPort(), APP_ROLE, secretFile);
        return new EmbeddedStore(pg, password);
    }

    private static EmbeddedPostgres.Builder locked(EmbeddedPostgres.Builder b, Path pgData, Path secretFile, String password) {
        return b.setDataDirectory(pgData).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("unix_socket_directories", "''") // no socket in /tmp for others to knock on
                .setServerConfig("password_encryption", "scram-sha-256")
                .setLocaleConfig("auth", "scram-sha-256") // initdb only (fresh cluster), see the class comment
                .setLocaleConfig("pwfile", secretFile.toString())
                .setConnectConfig("password", password); // zonky's readiness check logs in as postgres
    }

    /**
     * The port of the last start, kept in {@code <data>/postgres-port} so that pg_dump, psql and firewall rules find the
     * store at the same place after a restart (an operator may write another port there); 0 = let zonky choose, when
     * there is none yet or that port is taken now.
     */
    static int rememberedPort(Path portFile) throws IOException {
        if (!Files.exists(portFile)) {
            return 0;
        }
        int port;
        try {
            port = Integer.parseInt(Files.readString(portFile).trim());
            if (port < 1024 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IOException(portFile + " must hold one port number (1024-65535) for the embedded store");
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return port;
        } catch (IOException taken) {
            log.warn("Port {} of the embedded store ({}) is taken by another process: starting on a free port instead", port, portFile);
            return 0;
        }
    }

    /** Upgrade of a data directory made by the old hub: its superuser had no password and pg_hba.conf trusted all. */
    private static void setSuperuserPassword(Path pgData, EmbeddedPostgres.Builder settings, String password) throws IOException {
        log.warn("The embedded PostgreSQL in {} trusts every local account (made by an older hub): converting it to"
                + " passwords and a non-superuser role. Anything a local account did to it before cannot be undone here.", pgData);
        try (EmbeddedPostgres old = settings.setDataDirectory(pgData).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "localhost").setServerConfig("unix_socket_directories", "''").start();
             Connection c = DriverManager.getConnection(url(old.getPort()), SUPERUSER, null)) {
            c.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, password.toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw new IOException("Could not set the superuser password of the old embedded store (SQLState " + e.getSQLState() + ")", e);
        }
        // the restart that follows writes pg_hba.conf and ends every session opened while it trusted everyone
    }

    /** The app role exists, may log in with the password, holds no power beyond its schema, and owns that schema. */
    private static void secure(int port, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(url(port), p); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + APP_ROLE + "'")) {
                if (!rs.next()) {
                    s.execute("create role " + APP_ROLE + " login");
                }
            }
            s.execute("alter role " + APP_ROLE + " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls");
            c.unwrap(PGConnection.class).alterUserPassword(APP_ROLE, password.toCharArray(), "scram-sha-256");
            s.execute("alter schema public owner to " + APP_ROLE);
            // REASSIGN OWNED BY postgres is refused for the bootstrap superuser: hand over the schema's objects one by one
            // (partitions too; indexes and column sequences follow their table)
            List<String> alters = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("""
                    select format('alter table %s owner to %I', c.oid::regclass, $1) from pg_class c
                     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f')
                       and c.relowner <> $1::regrole
                    union all
                    select format('alter sequence %s owner to %I', c.oid::regclass, $1) from pg_class c
                     where c.relnamespace = 'public'::regnamespace and c.relkind = 'S' and c.relowner <> $1::regrole
                       and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                                       and d.objid = c.oid and d.deptype in ('a', 'i'))
                    union all
                    select format('alter routine %s owner to %I', p.oid::regprocedure, $1) from pg_proc p
                     where p.pronamespace = 'public'::regnamespace and p.proowner <> $1::regrole
                       and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass
                                       and d.objid = p.oid and d.deptype = 'e')
                    """.replace("$1", "'" + APP_ROLE + "'"))) {
                while (rs.next()) {
                    alters.add(rs.getString(1));
                }
            }
            for (String alter : alters) {
                s.execute(alter);
            }
            if (!alters.isEmpty()) {
                log.info("Embedded store: {} objects of the old superuser-owned schema handed to role '{}'", alters.size(), APP_ROLE);
            }
            // trigram index of wildcard plate search (V5__search.sql); creating an extension needs more than the app role has
            s.execute("create extension if not exists pg_trgm");
        }
    }

    /**
     * Stops the server a failed start left running (its pid is the first line of postmaster.pid) — unless it is the
     * server that ran before this start ({@code before}): a second hub on the same directory fails on the lock, and
     * must not shut down the database of the hub that holds it.
     */
    private static void stopLeftOver(Path pgData, long before) {
        long pid = postmasterPid(pgData);
        if (pid > 0 && pid != before) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: PostgreSQL's smart shutdown
        }
    }

    /** The pid in postmaster.pid; -1 when there is none. */
    private static long postmasterPid(Path pgData) {
        try {
            return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** True when any rule of the file lets a client in without a password (the old hub's zonky default). */
    static boolean trustsAnyone(Path hba) throws IOException {
        return Files.readAllLines(hba, StandardCharsets.UTF_8).stream()
                .map(l -> l.replaceFirst("#.*", "").trim())
                .filter(l -> !l.isEmpty())
                .anyMatch(l -> l.matches(".*\\strust(\\s.*)?"));
    }

    private static void writeHba(Path pgData) {
        try {
            Path hba = pgData.resolve("pg_hba.conf");
            Files.writeString(hba, HBA, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(hba, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String url(int port) {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    String jdbcUrl() {
        return url(postgres.getPort());
    }

    String user() {
        return APP_ROLE;
    }

    String password() {
        return password;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
