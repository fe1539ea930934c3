package uk.anprhub.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import uk.anprhub.core.HubProperties;
import uk.anprhub.core.NasProperties;
import uk.anprhub.ingest.FeedsProperties;
import uk.anprhub.delivery.DeliveryProperties;
import uk.anprhub.transport.ftp.FtpProperties;
import uk.anprhub.transport.tcp.TcpProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The line ops wait for: {@code ready at http://host:port — NAS target <url>, feeds <ids>}, logged once the hub
 * accepts reads (Spring's readiness ACCEPTING_TRAFFIC, the same moment cameras stop getting 503).
 */
@Component
class ReadyLine {

    private static final Logger log = LoggerFactory.getLogger(ReadyLine.class);

    private final ApplicationContext context;
    private final Environment env;
    private final HubProperties hub;
    private final FeedsProperties declared;
    private final NasProperties nas;
    private final ObjectProvider<DeliveryProperties> delivery;
    private final ObjectProvider<TcpProperties> tcp;
    private final ObjectProvider<FtpProperties> ftp;
    private boolean said;

    ReadyLine(ApplicationContext context, Environment env, HubProperties hub, FeedsProperties feeds, NasProperties nas,
              ObjectProvider<DeliveryProperties> delivery,
              ObjectProvider<TcpProperties> tcp, ObjectProvider<FtpProperties> ftp) {
        this.context = context;
        this.env = env;
        this.hub = hub;
        this.declared = feeds;
        this.nas = nas;
        this.delivery = delivery;
        this.tcp = tcp;
        this.ftp = ftp;
    }

    @EventListener
    public synchronized void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && !said) {
            said = true;
            log.info("{}", line());
        }
    }

    String line() {
        int port = context instanceof WebServerApplicationContext w && w.getWebServer() != null ? w.getWebServer().getPort() : -1;
        boolean https = env.getProperty("server.ssl.bundle") != null || env.getProperty("server.ssl.enabled", Boolean.class, false);
        String host = env.getProperty("server.address", hostName());
        return "ready at " + (https ? "https" : "http") + "://" + host + ":" + port + " — " + targets() + ", feeds " + feeds();
    }

    private String targets() {
        DeliveryProperties d = delivery.getIfAvailable();
        if (d == null || !d.enabled()) {
            return "delivery off";
        }
        List<String> out = new ArrayList<>();
        new java.util.TreeMap<>(d.targets()).forEach((id, t) -> {
            if (t.enabledFor(id)) {
                String url = t.url() != null ? uk.anprhub.delivery.TargetUrls.redact(t.url()) // never credentials or a query
                        : "nas".equals(id) ? uk.anprhub.delivery.TargetUrls.redact(java.net.URI.create(nas.url())) : "?";
                out.add(("nas".equals(id) ? "NAS" : id) + " target " + url);
            }
        });
        return out.isEmpty() ? "no delivery target" : String.join(", ", out);
    }

    private String feeds() {
        TreeSet<String> http = new TreeSet<>();
        declared.feeds().forEach((id, f) -> {
            if (f.enabled() && f.http()) {
                http.add(id);
            }
        });
        List<String> parts = new ArrayList<>();
        parts.add("HTTP " + (http.isEmpty() ? "none" : String.join(" ", http))
                + (hub.demo() ? " + every connector id (DEMO MODE)" : ""));
        TcpProperties t = tcp.getIfAvailable();
        if (t != null && t.feeds() != null) {
            TreeSet<String> ids = new TreeSet<>();
            t.feeds().forEach((id, f) -> {
                if (f.enabled() && f.port() != null) {
                    ids.add(id + ":" + f.port());
                } else if (f.on() && f.client()) {
                    ids.add(id + "->" + f.connect().strip()); // client mode: the VMS the hub connects to
                }
            });
            if (!ids.isEmpty()) {
                parts.add("TCP " + String.join(" ", ids));
            }
        }
        FtpProperties f = ftp.getIfAvailable();
        if (f != null && f.enabled()) {
            parts.add("FTP port " + f.port());
        }
        return String.join("; ", parts);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
