package uk.anprhub.simulator.nas;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "nas-sim", mixinStandardHelpOptions = true,
        description = {"The NAS simulator: the modelled national capture API (POST /nas/v1/captures, GET /nas/v1/_stats,",
                "POST /nas/v1/_faults, POST /nas/v1/_reset) and a legacy BOF2 sendCapture endpoint",
                "(POST " + NasSimulator.BOF2_PATH + "). Runs until stopped. See docs/delivery.md.",
                "The modelled NAS search API (POST /nas/v1/searches) looks through the captures accepted (docs/access.md).",
                "Faults: {\"mode\":\"up|down|refuse|slow|error|unauthorized|throttle\", \"errorRate\":0.2, \"latencyMs\":200,",
                " \"rejectVrmPattern\":\"^ZZ\", \"badBatchVrmPattern\":\"^XX\", \"retryAfterSeconds\":5, \"durationMs\":60000}",
                "In mode refuse the port is closed: give durationMs, or use --admin-port to reach _faults again.",
                "With --tls-key-store and --tls-trust-store the port serves HTTPS only and demands a client certificate."})
public final class NasSimCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9090", description = "port of the capture API (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--admin-port", defaultValue = "-1",
            description = "also serve _stats, _faults and _reset on this port, which stays open in mode refuse")
    int adminPort;

    @Option(names = "--tls-key-store", description = "serve HTTPS with the server certificate and key in this PKCS12 file")
    Path tlsKeyStore;

    @Option(names = "--tls-trust-store",
            description = "PKCS12 file of the CA(s) whose client certificates are accepted (required with --tls-key-store)")
    Path tlsTrustStore;

    @Option(names = "--tls-password", defaultValue = "${env:NAS_SIM_TLS_PASSWORD}",
            description = "password of both PKCS12 files (default: environment variable NAS_SIM_TLS_PASSWORD)")
    String tlsPassword;

    @Option(names = "--search-user", description = "the search API demands HTTP Basic with this user (the force's credentials)")
    String searchUser;

    @Option(names = "--search-password", defaultValue = "${env:NAS_SIM_SEARCH_PASSWORD}",
            description = "its password (default: environment variable NAS_SIM_SEARCH_PASSWORD)")
    String searchPassword;

    @Override
    public Integer call() throws Exception {
        if ((tlsKeyStore == null) != (tlsTrustStore == null)) {
            System.err.println("nas-sim: --tls-key-store and --tls-trust-store go together (TLS mode demands client certificates)");
            return 2;
        }
        NasSimulator sim = tlsKeyStore == null ? NasSimulator.start(port, adminPort)
                : NasSimulator.startTls(port, adminPort, sslContext(tlsKeyStore, tlsTrustStore, tlsPassword));
        if (searchUser != null) {
            sim.searchCredentials(searchUser, searchPassword == null ? "" : searchPassword);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "nas-sim-shutdown"));
        System.out.println("nas-sim: NAS capture API on " + sim.nasUrl() + "/captures, search API on " + sim.searchUrl()
                + ", BOF2 on " + sim.bof2Url()
                + (tlsKeyStore == null ? "" : " (client certificate required)")
                + (sim.adminPort() == null ? "" : ", control also on port " + sim.adminPort()));
        stopped.await();
        return 0;
    }

    /** A TLS context from PKCS12 files (either may be null), as a Spring Boot SSL bundle would build it. */
    public static SSLContext sslContext(Path keyStore, Path trustStore, String password) {
        return SslBundle.of(new JksSslStoreBundle(details(keyStore, password), details(trustStore, password))).createSslContext();
    }

    private static JksSslStoreDetails details(Path file, String password) {
        return file == null ? null : new JksSslStoreDetails("PKCS12", null, file.toUri().toString(), password);
    }
}
