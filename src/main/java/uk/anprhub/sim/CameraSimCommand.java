package uk.anprhub.sim;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code bin/anpr-hub camera-sim}: simulated cameras posting reads to a hub and reporting what was acknowledged.
 * Used by the benchmark, the demo and by hand ("does the hub keep up with 250 reads/s?").
 */
@Command(name = "camera-sim", mixinStandardHelpOptions = true,
        description = {"Simulate ANPR cameras sending reads to a hub over HTTP (canonical nas-json feed).",
                "Reads get random UK-style plates, current capture times and the demo cameras MPS-DEMO-0001..N.",
                "Reports sent, acknowledged (2xx), refused (4xx), pushed back (503) and acknowledgement latency."})
public final class CameraSimCommand implements Callable<Integer> {

    @Option(names = "--url", description = "hub base URL (default ${DEFAULT-VALUE})")
    URI url = URI.create("http://localhost:8080");

    @Option(names = "--feed", description = "feed id to post to (default ${DEFAULT-VALUE})")
    String feed = "nas-json";

    @Option(names = "--cameras", description = "number of demo cameras MPS-DEMO-0001..N to spread reads over (default ${DEFAULT-VALUE})")
    int cameras = 10;

    @Option(names = "--clients", description = "concurrent connections (default ${DEFAULT-VALUE})")
    int clients = 20;

    @Option(names = "--batch", description = "reads per request: 1 = one read object, >1 = an array (default ${DEFAULT-VALUE})")
    int batch = 1;

    @Option(names = "--rate", description = "target reads/s over all clients; 0 = as fast as acknowledged (default ${DEFAULT-VALUE})")
    double rate = 0;

    @Option(names = "--duration", converter = DurationConverter.class, description = "how long to send, e.g. 30s, 5m (default ${DEFAULT-VALUE})")
    Duration duration = Duration.ofSeconds(30);

    @Option(names = "--count", description = "stop after this many reads (default: no limit)")
    long count = Long.MAX_VALUE;

    @Option(names = "--warmup", converter = DurationConverter.class, description = "leading period not counted in the report (default ${DEFAULT-VALUE})")
    Duration warmup = Duration.ZERO;

    @Option(names = "--repeat-share", description = "share of requests re-sent as a camera retry would (0..1, default ${DEFAULT-VALUE})")
    double repeatShare = 0;

    @Option(names = "--bad-share", description = "share of requests carrying an invalid read (0..1, default ${DEFAULT-VALUE})")
    double badShare = 0;

    @Override
    public Integer call() throws Exception {
        SimSettings s = new SimSettings(url.resolve("/ingest/" + feed), cameras, clients, batch, rate, duration, count,
                warmup, repeatShare, badShare);
        SimReport report = new HttpCameraSim(s).run();
        System.out.println(report.summary());
        return report.sentRequests() > 0 ? 0 : 1;
    }
}
