package uk.anprhub.nassim;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "nas-sim", mixinStandardHelpOptions = true,
        description = {"The NAS simulator: the modelled national capture API (POST /nas/v1/captures, GET /nas/v1/_stats,",
                "POST /nas/v1/_faults, POST /nas/v1/_reset) and a legacy BOF2 sendCapture endpoint",
                "(POST " + NasSimulator.BOF2_PATH + "). Runs until stopped. See docs/delivery.md.",
                "Faults: {\"mode\":\"up|down|refuse|slow|error|unauthorized|throttle\", \"errorRate\":0.2, \"latencyMs\":200,",
                " \"rejectVrmPattern\":\"^ZZ\", \"badBatchVrmPattern\":\"^XX\", \"retryAfterSeconds\":5, \"durationMs\":60000}",
                "In mode refuse the port is closed: give durationMs, or use --admin-port to reach _faults again."})
public final class NasSimCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9090", description = "port of the capture API (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--admin-port", defaultValue = "-1",
            description = "also serve _stats, _faults and _reset on this port, which stays open in mode refuse")
    int adminPort;

    @Override
    public Integer call() throws Exception {
        NasSimulator sim = NasSimulator.start(port, adminPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "nas-sim-shutdown"));
        System.out.println("nas-sim: NAS capture API on " + sim.nasUrl() + "/captures, BOF2 on " + sim.bof2Url()
                + (sim.adminPort() == null ? "" : ", control also on port " + sim.adminPort()));
        stopped.await();
        return 0;
    }
}
