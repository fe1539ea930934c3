package uk.anprhub.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The camera-facing HTTP listener ({@code anpr.http.camera-listener.*}): {@code POST /ingest/{feedId}} on a port of
 * its own, apart from the ops port (actuator, Hawtio, API), so the camera network never reaches the console and slow
 * camera bodies never hold an ops thread. The contract and its limits ({@code anpr.http.*}) are the same.
 *
 * @param port     the listener's port; 0: off, cameras post to the ops port as before. When on, the ops port
 *                 answers {@code /ingest/**} 404 (the fixed legacy paths such as BOF2's stay on the ops port)
 * @param address  the address to bind, e.g. the camera network's interface; unset: every interface
 * @param workers  threads that run requests whose bodies are whole (each waits for its group commit); with all busy
 *                 and as many requests queued, a further request gets 503 + Retry-After at once
 * @param viaCamel requests enter the ingest core through the Camel route {@code direct:anpr-ingest} (route metrics,
 *                 Hawtio) rather than by a direct call; off by default: the direct call measured less hub CPU per read
 *                 (docs/performance.md), and the hub's own ingest metrics count listener requests either way
 * @param alsoOnOpsPort the ops port keeps serving {@code /ingest/**} too: for the window in which cameras are moved
 *                 over one by one (and for the benchmark's side-by-side run); off, the ops port answers it 404
 * @param maxConnections most connections open at once; a further one is closed as soon as it is accepted (counted as
 *                 {@code anpr_http_ingest_refused_total{reason="connections"}}), so a flood of idle sockets cannot
 *                 take the hub's memory or file descriptors. Above the force's cameras, each holding one keep-alive
 */
@ConfigurationProperties("anpr.http.camera-listener")
public record CameraListenerProperties(@DefaultValue("0") int port, String address, @DefaultValue("64") int workers,
                                       boolean viaCamel, boolean alsoOnOpsPort,
                                       @DefaultValue("4096") int maxConnections) {

    public boolean on() {
        return port > 0;
    }

    /** Whether the ops port refuses {@code /ingest/**} (404): the listener is on and no migration window is open. */
    public boolean opsPortClosedToCameras() {
        return on() && !alsoOnOpsPort;
    }
}
