package uk.anprhub.faults;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A primary and a streaming replica on two fixed ports, from zonky's binaries (which hold only {@code initdb},
 * {@code pg_ctl} and {@code postgres}: no {@code pg_basebackup}). The replica is seeded as PostgreSQL's "Making a Base
 * Backup Using the Low Level API" says: a physical replication slot first (so the primary keeps the WAL the replica
 * will need), {@code pg_backup_start}, a copy of the data directory in Java without the files that section lists as
 * unneeded, {@code pg_backup_stop} whose label file becomes the copy's {@code backup_label}; then
 * {@code primary_conninfo} (application name {@value #STANDBY}) and {@code primary_slot_name} in the copy's
 * {@code postgresql.auto.conf} and a {@code standby.signal}. Replication uses initdb's own pg_hba.conf, which trusts
 * replication connections on loopback (a test cluster). Both servers run with durable settings ({@link ExternalPostgres}).
 *
 * <p>The two ports stay fixed across a failover: the primary is crashed, the replica promoted, and {@link #reseed()}
 * puts a fresh replica of the new primary on the old primary's port (as an operator rebuilds the failed node), so the
 * hub's multi-host URL ({@link #jdbcUrl()}) stays the same throughout.
 */
final class ReplicatedPostgres implements AutoCloseable {

    /** The standby's {@code application_name}, and its slot's name on the primary. */
    static final String STANDBY = "replica1";

    /** Left out of the copy (PostgreSQL docs, "Backing Up the Data Directory"); {@code epg-lock} is zonky's lock file. */
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "backup_manifest", "standby.signal", "recovery.signal", "postgresql.auto.conf.tmp",
            "pg_internal.init", "current_logfiles", "epg-lock");
    /** Directories copied empty: the server fills them again (pg_wal: the replica streams what it needs from the slot). */
    private static final Set<String> EMPTIED_DIRS = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify",
            "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans");

    /** One server: its data directory, port, and the running process (null once crashed). */
    private static final class Node {
        final Path dir;
        final int port;
        ExternalPostgres pg;

        Node(Path dir, int port, ExternalPostgres pg) {
            this.dir = dir;
            this.port = port;
            this.pg = pg;
        }
    }

    private final Path root;
    /** Both ports, the first primary's first: the hub's URL names them in this order whichever is primary. */
    private final int[] ports;
    private Node primary;
    /** Null from a failover until {@link #reseed()}. */
    private Node replica;
    /** The failed primary's port, free for {@link #reseed()}; -1 when none. */
    private int deadPort = -1;
    /** The primary is frozen ({@link #freezePrimary()}), not yet replaced. */
    private boolean primaryFrozen;
    /** A frozen former primary after a promotion, until {@link #reseed()} or {@link #close()}. */
    private Node fenced;
    /** Numbers the data directories (node0, node1, ...): a reseeded node starts from a fresh one. */
    private int generation;

    private ReplicatedPostgres(Path root, Node primary, int replicaPort) {
        this.root = root;
        this.primary = primary;
        this.ports = new int[]{primary.port, replicaPort};
    }

    /** initdb and start a primary on {@code primaryPort}, then seed and start its replica on {@code replicaPort}. */
    static ReplicatedPostgres start(Path root, int primaryPort, int replicaPort) throws IOException, SQLException {
        Path dir = root.resolve("node0");
        ReplicatedPostgres cluster = new ReplicatedPostgres(root,
                new Node(dir, primaryPort, ExternalPostgres.start(dir, primaryPort)), replicaPort);
        cluster.replica = cluster.seedReplica(replicaPort);
        cluster.awaitStreaming();
        return cluster;
    }

    /**
     * The URL the hub is given, as docs/database-failover.md tells a force to write it: both servers, and pgjdbc
     * connects only to the one that takes writes ({@code targetServerType=primary}), whichever of the two that is;
     * {@code hostRecheckSeconds=2}: pgjdbc forgets sooner that the promoted server was a standby or unreachable a
     * moment ago (default 10 s), while a hung former primary it last saw as primary is still tried.
     */
    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + ports[0] + ",localhost:" + ports[1]
                + "/postgres?user=postgres&targetServerType=primary&hostRecheckSeconds=2";
    }

    /** Fresh connections to the current primary (no pool). */
    DataSource primary() {
        return primary.pg.dataSource();
    }

    /**
     * Synchronous replication on or off, as an operator switches it: {@code ALTER SYSTEM SET synchronous_standby_names}
     * on the primary and a reload ({@code synchronous_commit} is on: every commit then waits until the standby has
     * flushed its WAL). Returns once the standby is in the state asked for.
     */
    void synchronous(boolean on) {
        JdbcTemplate db = new JdbcTemplate(primary());
        db.execute("alter system set synchronous_standby_names = '" + (on ? STANDBY : "") + "'");
        db.execute("select pg_reload_conf()");
        String state = on ? "sync" : "async";
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> state.equals(syncState()));
    }

    /** The standby's {@code sync_state} as the primary sees it ({@code sync}, {@code async}), null if not connected. */
    String syncState() {
        List<String> states = new JdbcTemplate(primary()).queryForList(
                "select sync_state from pg_stat_replication where application_name = ? and state = 'streaming'",
                String.class, STANDBY);
        return states.isEmpty() ? null : states.get(0);
    }

    /**
     * Waits until the standby has flushed all WAL the primary has written so far: every transaction committed before
     * this call is then on the standby's disk, whatever the replication mode.
     */
    void awaitStandbyCaughtUp() {
        JdbcTemplate db = new JdbcTemplate(primary());
        String written = db.queryForObject("select pg_current_wal_lsn()::text", String.class);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> Boolean.TRUE.equals(
                db.queryForObject("select coalesce(bool_or(flush_lsn >= ?::pg_lsn), false) from pg_stat_replication "
                        + "where application_name = ?", Boolean.class, written, STANDBY)));
    }

    /** Orderly stop of the replica (as when its machine is down for maintenance); the data directory is kept. */
    void stopReplica() throws IOException {
        replica.pg.stop();
    }

    /** The replica started again on its own data; it reconnects to the primary through its slot. */
    void startReplica() throws IOException {
        replica.pg.start();
    }

    /**
     * The failover: {@link #crashPrimary()}, then {@link #promote()}.
     *
     * @return how long the promotion took
     */
    Duration failover() throws IOException {
        crashPrimary();
        return promote();
    }

    /** SIGKILL of the primary, postmaster and every backend at once (no checkpoint, no goodbye to the standby). */
    void crashPrimary() throws IOException {
        primary.pg.crash();
        primary.pg = null;
    }

    /**
     * SIGSTOP of the primary, postmaster and every backend: a machine that stops answering but whose connections stay
     * open (clients wait on them until their own timeouts). After {@link #promote()} it stays frozen, fenced, until
     * {@link #reseed()} kills it.
     */
    void freezePrimary() throws IOException, InterruptedException {
        primary.pg.freeze();
        primaryFrozen = true;
    }

    /**
     * {@code pg_promote()} on the replica after the primary crashed: it replays all the WAL it has received and then
     * takes writes. It is the primary from then on; there is no replica until {@link #reseed()}.
     *
     * @return how long the promotion took (pg_promote waits until the server is out of recovery)
     */
    Duration promote() {
        if (primary.pg != null && !primaryFrozen) {
            throw new IllegalStateException("the primary is still running: crash or freeze it first");
        }
        long t0 = System.nanoTime();
        Boolean promoted = new JdbcTemplate(replica.pg.dataSource()).queryForObject("select pg_promote(true, 30)", Boolean.class);
        if (!Boolean.TRUE.equals(promoted)) {
            throw new IllegalStateException("pg_promote() did not finish within 30 s");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        deadPort = primary.port;
        fenced = primaryFrozen ? primary : null;
        primaryFrozen = false;
        primary = replica;
        replica = null;
        return took;
    }

    /** A new replica of the current primary, on the failed primary's port (a fresh data directory), streaming. */
    void reseed() throws IOException, SQLException {
        if (replica != null || deadPort < 0) {
            throw new IllegalStateException("reseed after a failover only");
        }
        if (fenced != null) { // the frozen former primary: gone for good, its port is the new replica's
            fenced.pg.crash();
            fenced = null;
        }
        replica = seedReplica(deadPort);
        deadPort = -1;
        awaitStreaming();
    }

    private void awaitStreaming() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> syncState() != null);
    }

    /** The base backup (low-level API) of the primary into a new directory, configured as its standby and started. */
    private Node seedReplica(int port) throws IOException, SQLException {
        Path target = root.resolve("node" + (++generation));
        try (Connection c = primary.pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            // the slot first: from now on the primary keeps every WAL segment the replica has not yet received
            s.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '" + STANDBY + "'");
            s.execute("select pg_create_physical_replication_slot('" + STANDBY + "', true)");
            Path source;
            try (ResultSet rs = s.executeQuery("show data_directory")) {
                rs.next();
                source = Path.of(rs.getString(1));
            }
            s.execute("select pg_backup_start('" + STANDBY + "', true)"); // true: an immediate checkpoint
            copyDataDirectory(source, target);
            // the same session must end the backup; its label file tells the copy where recovery starts
            try (ResultSet rs = s.executeQuery("select labelfile, spcmapfile from pg_backup_stop(false)")) {
                rs.next();
                Files.writeString(target.resolve("backup_label"), rs.getString(1));
                String spcmap = rs.getString(2);
                if (spcmap != null && !spcmap.isEmpty()) {
                    Files.writeString(target.resolve("tablespace_map"), spcmap);
                }
            }
        }
        configureStandby(target, primary.port);
        return new Node(target, port, ExternalPostgres.start(target, port));
    }

    /**
     * The primary's {@code postgresql.auto.conf} without its own replication settings (a promoted node's still names
     * its former primary; {@code synchronous_standby_names} would make a promoted replica wait for a standby it does
     * not have), plus where this standby streams from; and {@code standby.signal}.
     */
    private static void configureStandby(Path dir, int primaryPort) throws IOException {
        Path auto = dir.resolve("postgresql.auto.conf");
        String kept = Files.readAllLines(auto).stream()
                .filter(l -> !l.startsWith("primary_conninfo") && !l.startsWith("primary_slot_name")
                        && !l.startsWith("synchronous_standby_names"))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(auto, kept
                + "primary_conninfo = 'host=localhost port=" + primaryPort + " user=postgres application_name=" + STANDBY + "'\n"
                + "primary_slot_name = '" + STANDBY + "'\n");
        Files.createFile(dir.resolve("standby.signal"));
    }

    /** A file-by-file copy of a running server's data directory; files that vanish meanwhile are skipped (normal). */
    private static void copyDataDirectory(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path rel = source.relativize(dir);
                Path to = target.resolve(rel.toString());
                Files.createDirectories(to);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------")); // postgres insists
                if (rel.getNameCount() == 1 && EMPTIED_DIRS.contains(rel.toString())) {
                    if (rel.toString().equals("pg_wal")) {
                        Files.createDirectories(to.resolve("archive_status"));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return dir.getFileName().toString().startsWith("pgsql_tmp") ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                if (SKIPPED_FILES.contains(name) || name.startsWith("pgsql_tmp")) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (NoSuchFileException e) {
                    // dropped by the server during the copy: WAL replay from the backup's start recreates what matters
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (fenced != null) { // killed, not thawed: it must never take writes next to the promoted one
            fenced.pg.crash();
        }
        for (Node n : new Node[]{replica, primary}) {
            if (n != null && n.pg != null) {
                n.pg.close();
            }
        }
    }
}
