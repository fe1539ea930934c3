package uk.anprhub.ingest;

import org.springframework.core.env.Environment;
import uk.anprhub.core.StartupProblem;

/**
 * The camera listener speaks plain HTTP only. When the ops port is HTTPS ({@code server.ssl.*}), cameras posting to
 * it today post over TLS: moving them to a plain listener would drop TLS without anyone deciding so, so the hub
 * refuses to start and says what to do instead.
 */
final class CameraListenerTls {

    private CameraListenerTls() {
    }

    static void check(CameraListenerProperties listener, Environment env) {
        if (!listener.on()) {
            return;
        }
        Boolean enabled = env.getProperty("server.ssl.enabled", Boolean.class);
        boolean https = !Boolean.FALSE.equals(enabled) && (Boolean.TRUE.equals(enabled)
                || env.getProperty("server.ssl.bundle") != null || env.getProperty("server.ssl.key-store") != null
                || env.getProperty("server.ssl.certificate") != null);
        if (https) {
            throw new StartupProblem("the camera listener speaks plain HTTP, but the ops port is HTTPS (server.ssl.*)",
                    "anpr.http.camera-listener.port",
                    "keep cameras on the HTTPS ops port (unset the listener's port), or put a TLS-terminating proxy on the camera network in front of the listener");
        }
    }
}
