package uk.anprhub.bench.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Once a second: CPU of each process of the run (hub, PostgreSQL with its backends, simulators) from /proc, the
 * hub's RSS, machine CPU and disk writes, and the hub's own counters from /actuator/prometheus. Linux only; the
 * figures are what {@code top} and {@code iostat} would show, taken without extra tools.
 */
final class Sampler implements AutoCloseable {

    /** One second of the run. CPU figures are percent of one core (200 = both cores of this machine). */
    record Sample(double t, String scenario, double hubCpu, double pgCpu, double simCpu, double nasSimCpu,
                  double machineBusy, double machineIowait, long hubRssMb, double diskWriteMbPerS,
                  double storedTotal, double deliveredTotal, double backlog) {
    }

    private static final Pattern DISK = Pattern.compile("(sd[a-z]+|vd[a-z]+|xvd[a-z]+|nvme\\d+n\\d+)");
    private static final long TICKS = 100; // USER_HZ on Linux

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI metrics;
    private final long hubPid;
    private final long nasSimPid;
    private final LongSupplier postmasterPid;
    private final Set<Long> simulators = ConcurrentHashMap.newKeySet();
    private final List<Sample> samples = new ArrayList<>();
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile String scenario = "start";
    private volatile boolean running = true;

    Sampler(URI hubBase, long hubPid, long nasSimPid, LongSupplier postmasterPid) {
        this.metrics = hubBase.resolve("/actuator/prometheus");
        this.hubPid = hubPid;
        this.nasSimPid = nasSimPid;
        this.postmasterPid = postmasterPid;
        this.thread = new Thread(this::loop, "bench-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Labels the following samples; the chart and the report group by it. */
    void scenario(String name) {
        scenario = name;
    }

    /** A load generator process whose CPU counts as "sim". */
    void simulator(long pid) {
        simulators.add(pid);
    }

    double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private void loop() {
        Map<Long, Long> lastTicks = new ConcurrentHashMap<>();
        long[] lastMachine = machineTicks();
        long lastDisk = diskSectorsWritten();
        long lastNanos = System.nanoTime();
        while (running) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            double dt = (now - lastNanos) / 1e9;
            lastNanos = now;
            double hub = cpu(List.of(hubPid), lastTicks, dt);
            double nas = cpu(List.of(nasSimPid), lastTicks, dt);
            double pg = cpu(postgresPids(), lastTicks, dt);
            double sim = cpu(simulators.stream().filter(p -> Files.exists(Path.of("/proc/" + p))).toList(), lastTicks, dt);
            long[] machine = machineTicks();
            long total = machine[0] - lastMachine[0];
            double busy = total == 0 ? 0 : 100.0 * (machine[1] - lastMachine[1]) / total;
            double iowait = total == 0 ? 0 : 100.0 * (machine[2] - lastMachine[2]) / total;
            lastMachine = machine;
            long disk = diskSectorsWritten();
            double diskMb = (disk - lastDisk) * 512.0 / 1e6 / dt;
            lastDisk = disk;
            double[] counters = counters();
            synchronized (this) {
                samples.add(new Sample(elapsed(), scenario, hub, pg, sim, nas, busy, iowait, rssMb(hubPid), diskMb,
                        counters[0], counters[1], counters[2]));
            }
        }
    }

    /** CPU percent of these processes since the last call for each of them. */
    private static double cpu(List<Long> pids, Map<Long, Long> lastTicks, double dt) {
        double sum = 0;
        for (long pid : pids) {
            long ticks = ticks(pid);
            if (ticks < 0) {
                continue;
            }
            Long before = lastTicks.put(pid, ticks);
            if (before != null) {
                sum += 100.0 * (ticks - before) / TICKS / dt;
            }
        }
        return sum;
    }

    /** utime + stime of a process (fields 14 and 15 of /proc/PID/stat, counted after the command name). */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has ended
        }
        return 0;
    }

    /** The postmaster and its backends (children): the database's whole CPU. */
    private List<Long> postgresPids() {
        long master = postmasterPid.getAsLong();
        List<Long> pids = new ArrayList<>();
        if (master <= 0) {
            return pids;
        }
        pids.add(master);
        try (var dirs = Files.list(Path.of("/proc"))) {
            dirs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).forEach(n -> {
                try {
                    String stat = Files.readString(Path.of("/proc/" + n + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[1]) == master) {
                        pids.add(Long.parseLong(n));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            // no /proc: not Linux
        }
        return pids;
    }

    /** {all, busy, iowait} ticks of the machine from /proc/stat. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long all = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                all += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            return new long[] {all, all - idle - iowait, iowait};
        } catch (IOException | RuntimeException e) {
            return new long[3];
        }
    }

    private static long diskSectorsWritten() {
        long sum = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/diskstats"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && DISK.matcher(f[2]).matches()) {
                    sum += Long.parseLong(f[9]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return sum;
    }

    /** {reads stored (all feeds), reads delivered to nas, nas backlog} from the hub's Prometheus page. */
    private double[] counters() {
        try {
            String page = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new double[] {metric(page, "anpr_reads_stored_total{", ""),
                    metric(page, "anpr_reads_delivered_total{", "target=\"nas\""),
                    metric(page, "anpr_delivery_backlog{", "target=\"nas\"")};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    /** Sum of the series of a Prometheus text page that start with {@code prefix} and contain {@code label}. */
    static double metric(String page, String prefix, String label) {
        double sum = 0;
        for (String line : page.split("\n")) {
            if (line.startsWith(prefix) && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2000);
    }
}
