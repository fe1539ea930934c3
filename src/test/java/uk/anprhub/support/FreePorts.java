package uk.anprhub.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP ports for servers the tests start, never the same one twice in this JVM: JUnit initialises every test
 * class at discovery, and the kernel readily hands a just-closed ephemeral port out again, so two classes asking
 * {@code new ServerSocket(0)} at once could be given the same port and one context then fails to bind.
 */
public final class FreePorts {

    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {
    }

    public static synchronized int next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (GIVEN.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no fresh free port");
    }
}
