package uk.anprhub.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for servers the tests start, never the same one twice in this JVM, and always below the kernel's
 * ephemeral range. JUnit initialises every test class at discovery, minutes before some of them bind: a port taken
 * from the ephemeral range ({@code new ServerSocket(0)}) could meanwhile become the source port of any outgoing
 * connection (to PostgreSQL, a broker, another test's hub) and the context then fails with "Address already in use"
 * (seen in the full suite). Ports below the range are never handed out that way. When the integration tests run in
 * several JVMs at once (failsafe's forks, system property {@code anpr.it.fork} = 1, 2, ...), each takes its own slice
 * of that range, so two JVMs never pick the same port.
 */
public final class FreePorts {

    private static final Set<Integer> GIVEN = new HashSet<>();
    private static final int LOWEST = 20_000;
    private static final int FORKS = 4; // slices of the range: room for up to four forks

    private FreePorts() {
    }

    public static synchronized int next() {
        int end = ephemeralStart();
        int slice = (end - LOWEST) / FORKS;
        int from = LOWEST + slice * (fork() - 1);
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(from, from + slice);
            if (!GIVEN.contains(port) && bindable(port)) {
                GIVEN.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no fresh free port between " + from + " and " + (from + slice));
    }

    /** This JVM's fork number, 1 to {@value #FORKS} (1 when not forked by failsafe, or for a number beyond it). */
    private static int fork() {
        try {
            int n = Integer.parseInt(System.getProperty("anpr.it.fork", "1"));
            return n >= 1 && n <= FORKS ? n : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of Linux's ephemeral range (32768 by default; 30000 when the file cannot be read). */
    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 30_000;
        } catch (IOException | RuntimeException e) {
            return 30_000;
        }
    }
}
