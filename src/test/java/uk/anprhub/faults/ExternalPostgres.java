package uk.anprhub.faults;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server outside the hub (zonky's binaries, its own data directory and a fixed port) that a test can stop,
 * crash and freeze, as an operator's database would be. Durable settings ({@code fsync}, {@code synchronous_commit} on:
 * zonky turns both off for speed), so a crash loses exactly what PostgreSQL would lose in production: nothing committed.
 * The postmaster's pid comes from {@code postmaster.pid}; its backends are its child processes.
 */
final class ExternalPostgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres pg;

    private ExternalPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** initdb (first time) and start on {@code port}, data in {@code dataDir}. */
    static ExternalPostgres start(Path dataDir, int port) throws IOException {
        ExternalPostgres db = new ExternalPostgres(dataDir, port);
        db.start();
        return db;
    }

    /** Starts the server again on the same data directory and port (crash recovery runs if it was killed). */
    synchronized void start() throws IOException {
        if (pg != null) {
            throw new IllegalStateException("already running");
        }
        pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("fsync", "on") // zonky starts postgres with -F (fsync off); -c comes after it
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("unix_socket_directories", "''")
                .start();
    }

    /** The JDBC URL the hub is given ({@code ANPR_DB_URL}); the superuser, trusted on loopback (a test cluster). */
    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    /** A fresh-connection data source (no pool: it must not hold connections across the faults). */
    DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl());
        ds.setConnectTimeout(5);
        ds.setSocketTimeout(30);
        return ds;
    }

    /** Orderly stop: {@code pg_ctl stop -m fast} (zonky's close), sessions are ended, the data directory kept. */
    synchronized void stop() throws IOException {
        pg.close();
        pg = null;
    }

    /** SIGKILL of the postmaster and every backend at once: no checkpoint, no clean shutdown. */
    synchronized void crash() throws IOException {
        List<ProcessHandle> all = processes();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
        pg.close(); // its pg_ctl stop finds nothing to stop; releases zonky's lock on the data directory
        pg = null;
    }

    /** SIGSTOP of the postmaster and every backend: the server holds every connection and answers nothing. */
    synchronized void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    synchronized void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** The pid of the running postmaster, from the first line of {@code postmaster.pid}. */
    long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    private List<ProcessHandle> processes() throws IOException {
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid())
                .orElseThrow(() -> new IllegalStateException("postmaster not running"));
        List<ProcessHandle> all = new ArrayList<>();
        all.add(postmaster);
        postmaster.descendants().forEach(all::add);
        return all;
    }

    private void signal(String signal) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        processes().forEach(p -> cmd.add(String.valueOf(p.pid())));
        Process kill = new ProcessBuilder(cmd).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " failed");
        }
    }

    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (pg != null) {
            thaw(); // in case a test failed while frozen: pg_ctl stop would wait for ever
            pg.close();
            pg = null;
        }
    }
}
