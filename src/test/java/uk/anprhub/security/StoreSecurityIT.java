package uk.anprhub.security;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import uk.anprhub.support.FreePorts;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.HubJar;
import uk.anprhub.support.TestReads;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A local account of the hub's machine attacks the hub's embedded PostgreSQL: it finds the server in the data
 * directory (postmaster.pid), then tries the superuser and the app role without, and with wrong, passwords, and with
 * the right password tries what only a superuser can do. Plus the upgrade of a data directory made by the old hub,
 * which trusted every local account.
 */
class StoreSecurityIT extends HubIT {

    @Value("${anpr.data-dir}")
    Path data;

    @TempDir
    Path legacy;

    /** The port as any local account sees it: line 4 of postmaster.pid (the process list shows it too). */
    private int pgPort(Path dataDir) throws IOException {
        return Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
    }

    private String secret(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve("postgres-secret")).strip();
    }

    private static Connection connect(int port, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", user, password);
    }

    @Test
    void theSuperuserCannotLogInWithoutTheGeneratedPassword() throws Exception {
        int port = pgPort(data);
        assertThatThrownBy(() -> connect(port, "postgres", null).close()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> connect(port, "postgres", "postgres").close()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        assertThatThrownBy(() -> connect(port, "anpr", "anpr").close()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        assertThatThrownBy(() -> connect(port, "anpr", null).close()).isInstanceOf(SQLException.class);
        assertThat(Files.readString(data.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");
    }

    @Test
    void theAppRoleThatTheHubUsesIsNoSuperuser() throws Exception {
        assertThat(jdbc.queryForObject("select current_user", String.class)).as("the hub's pool logs in as").isEqualTo("anpr");
        try (Connection c = connect(pgPort(data), "anpr", secret(data)); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user")) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3))).containsOnly(false);
            }
            for (String attack : List.of("copy (select 1) to program 'true'", "select pg_read_file('postgresql.conf')",
                    "alter role anpr superuser", "create role intruder superuser login password 'x'")) {
                assertThatThrownBy(() -> s.execute(attack)).as(attack).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(attack).isEqualTo("42501"));
            }
            try (ResultSet rs = s.executeQuery("select count(*) from pg_class where relnamespace = 'public'::regnamespace"
                    + " and relowner <> 'anpr'::regrole")) {
                rs.next();
                assertThat(rs.getInt(1)).as("objects of the hub's schema not owned by the app role").isZero();
            }
        }
    }

    @Test
    void theSecretAndTheDataAreReadableByTheHubsAccountOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("postgres-secret")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("postgres")))).isEqualTo("rwx------");
    }

    @Test
    void theServerListensOnLoopbackOnlyAndHasNoUnixSocket() throws Exception {
        int port = pgPort(data);
        List<String> listeners = listeners(port);
        assertThat(listeners).as("TCP listeners on port " + port).isNotEmpty()
                .allSatisfy(a -> assertThat(a).isIn("0100007F", "00000000000000000000000001000000"));
        assertThat(Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(4).trim()).as("socket directory").isEmpty();
        assertThat(Path.of("/tmp/.s.PGSQL." + port)).doesNotExist();
    }

    /** Local addresses (hex, as the kernel shows them) of the sockets listening on the port, IPv4 and IPv6. */
    private static List<String> listeners(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) == port && f[3].equals("0A")) {
                    addresses.add(local[0]);
                }
            }
        }
        return addresses;
    }

    @Test
    void aDataDirectoryOfTheOldHubIsLockedDownAndTheHubStoresReadsInIt() throws Exception {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String suffix = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        // the old hub: zonky's defaults (pg_hba.conf "trust"), everything owned by postgres, today's partitions made
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(legacy.resolve("postgres"))
                .setCleanDataDirectory(false).start()) {
            Flyway.configure().dataSource(old.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
            try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                for (String table : List.of("nas_read", "raw_message", "delivery")) {
                    s.execute("create table " + table + "_" + suffix + " partition of " + table + " for values from ('"
                            + today + " 00:00:00+00') to ('" + LocalDate.parse(today).plusDays(1) + " 00:00:00+00')");
                }
                s.execute("create table legacy_note (id int)");
            }
        }

        int port = FreePorts.next();
        Process hub = startHub(legacy, port);
        try {
            waitUntilUp(port, hub);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/nas-json"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(TestReads.read())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

            int pg = pgPort(legacy);
            assertThatThrownBy(() -> connect(pg, "postgres", null).close()).isInstanceOf(SQLException.class);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(legacy.resolve("postgres-secret")))).isEqualTo("rw-------");
            try (Connection c = connect(pg, "anpr", secret(legacy)); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("""
                         select (select count(*) from nas_read),
                                (select count(*) from pg_class where relnamespace = 'public'::regnamespace and relowner <> 'anpr'::regrole),
                                (select rolsuper from pg_roles where rolname = current_user)""")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("reads stored").isEqualTo(1);
                assertThat(rs.getInt(2)).as("objects not owned by the app role").isZero();
                assertThat(rs.getBoolean(3)).as("app role is superuser").isFalse();
            }
        } finally {
            hub.destroy();
            hub.waitFor(30, TimeUnit.SECONDS);
            hub.destroyForcibly();
        }
    }

    /**
     * The built jar through {@link HubJar} (unpacked, with its class archive: ~21 s of CPU per start instead of 30-38 s
     * for the fat jar). Moved off the fat jar in session 12: what this class proves is the upgrade of an old data
     * directory, which the same classes do either way; the fat jar as it ships keeps its own checks (HubProcessIT
     * through {@code bin/anpr-hub}, DemoIT, HashPasswordIT).
     */
    private static Process startHub(Path dataDir, int port) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        List<String> cmd = new ArrayList<>(HubJar.command()); // java -Xmx512m ... -Danpr.home=<root> -jar <jar>
        cmd.addAll(List.of("run", "--server.port=" + port, "--logging.level.root=WARN", "--anpr.feeds.nas-json.connector=nas-json",
                "--anpr.cameras.location=" + root.resolve("src/test/resources/cameras")));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("ANPR_DB_URL");
        pb.environment().put("ANPR_DATA_DIR", dataDir.toString());
        pb.redirectErrorStream(true).redirectOutput(dataDir.resolve("hub.log").toFile());
        return pb.start();
    }

    private static void waitUntilUp(int port, Process hub) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    assertThat(hub.isAlive()).as("hub process alive").isTrue();
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 && "UP".equals(JSON.readTree(r.body()).path("status").asText());
                });
    }
}
