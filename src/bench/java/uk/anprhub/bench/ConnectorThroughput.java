package uk.anprhub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import uk.anprhub.connector.Connector;
import uk.anprhub.connector.ConnectorCatalog;
import uk.anprhub.normalise.OfflineRun;
import uk.anprhub.message.RawMessage;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.model.VendorRead;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Throughput of decode + JSLT mapping + normalisation per connector on ONE core (issue: the slowest connector must
 * do at least 20,000 reads/s per core). A plain {@code main}, not a JUnit test, so the suite never runs it; run it
 * with {@code bench/connectors.sh}, which pins the JVM(s) to one core with taskset.
 *
 * <p>What is measured, per connector: its positive samples ({@code connectors/<id>/samples/*} with a
 * {@code .expected.json} sibling) are turned into {@link RawMessage}s in memory first (meta.yaml included, so no
 * file I/O is measured), then a single thread cycles over them calling {@link Connector#extract} and
 * {@link Normaliser#normalise} for every read, exactly what {@link OfflineRun#run} does minus the file reading.
 * Warm-up, then N measured iterations; reads/s per core is reads divided by the CPU time the (pinned) JVM spent,
 * median iteration with min–max, so other processes taking turns on the same core do not count against a connector;
 * wall-clock reads/s and the core share are reported beside it. Every result goes into a
 * JMH-style blackhole so the JIT cannot drop work. Each connector runs in a fresh JVM by default (like JMH forks),
 * so one connector's JIT profile does not help or hurt the next; {@code --no-fork} runs all in this JVM (closer
 * to a hub that runs every connector, whose shared code paths see every format).
 *
 * <p>Samples yielding no read (Axis NEW/UPDATE, Frigate update, heartbeats...) are positive samples too: they are
 * cycled over and cost time, so reads/s counts them as overhead (conservative); messages/s is reported as well.
 *
 * <p>Durations are CPU seconds of the measuring JVM, not wall-clock seconds: on a busy machine a JVM that gets a third
 * of its core would otherwise measure before C2 has compiled the hot paths. After {@code --warmup-s} the warm-up goes
 * on in 0.5 s rounds until a round passes without JIT compilation.
 *
 * <p>Usage: {@code [connector-id ...] [--warmup-s 3] [--iterations 5] [--iteration-s 2] [--no-fork] [--jfr DIR]};
 * {@code --jfr DIR} runs each measuring JVM under a JFR recording started at launch (settings=profile, exact
 * frames for inlined code), dumps it to {@code DIR/<id>.jfr} and prints the hot spots of the measured iterations
 * (warm-up excluded). Extra JVM options for the forked JVMs: system property {@code bench.jvmArgs} (whitespace
 * separated).
 */
public final class ConnectorThroughput {

    static final double TARGET_READS_PER_S = 20_000;
    static final String RESULT_PREFIX = "@@RESULT ";
    static final List<String> FORK_JVM_ARGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch");
    static final ObjectMapper JSON = new ObjectMapper();
    static final long CHECK_NANOS = 5_000_000;
    static final long WARMUP_ROUND_NANOS = 500_000_000;
    static final int MAX_WARMUP_ROUNDS = 40;

    record Options(List<String> ids, double warmupS, int iterations, double iterationS, boolean fork, String child,
                   Path jfrDir) {

        static Options parse(String[] args) {
            List<String> ids = new ArrayList<>();
            double warmup = 3;
            int iterations = 5;
            double iteration = 2;
            boolean fork = true;
            String child = null;
            Path jfr = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--warmup-s" -> warmup = Double.parseDouble(args[++i]);
                    case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                    case "--iteration-s" -> iteration = Double.parseDouble(args[++i]);
                    case "--no-fork" -> fork = false;
                    case "--child" -> child = args[++i];
                    case "--jfr" -> jfr = Path.of(args[++i]).toAbsolutePath();
                    case "-h", "--help" -> {
                        System.out.println("usage: ConnectorThroughput [connector-id ...] [--warmup-s CPU_S] [--iterations N]"
                                + " [--iteration-s CPU_S] [--no-fork] [--jfr DIR]");
                        System.exit(0);
                    }
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        ids.add(a);
                    }
                }
            }
            if (iterations < 1 || warmup < 0 || iteration <= 0) {
                throw new IllegalArgumentException("need --iterations >= 1, --warmup-s >= 0, --iteration-s > 0");
            }
            return new Options(List.copyOf(ids), warmup, iterations, iteration, fork, child, jfr);
        }

        List<String> childArgs(String id) {
            List<String> args = new ArrayList<>(List.of("--child", id, "--warmup-s", Double.toString(warmupS),
                    "--iterations", Integer.toString(iterations), "--iteration-s", Double.toString(iterationS)));
            if (jfrDir != null) {
                args.addAll(List.of("--jfr", jfrDir.toString()));
            }
            return args;
        }
    }

    /** One sample's share of the measured iterations: wall-clock nanoseconds of its calls, and their CPU share. */
    record SampleStat(String name, int bytes, int reads, long calls, long nanos, double cpuShare) {

        double cpuMicrosPerCall() {
            return calls == 0 ? Double.NaN : nanos * cpuShare / 1e3 / calls;
        }
    }

    /** One connector's figures; {@code skipped} non-null when it could not be measured. */
    record Result(String id, String decoder, String skipped, List<String> notes, int samples, int readsPerCycle,
                  double payloadAvg, double warmupCpuS, List<Iteration> iterations, List<SampleStat> perSample) {

        static Result skipped(String id, String decoder, String reason, List<String> notes) {
            return new Result(id, decoder, reason, notes, 0, 0, 0, 0, List.of(), List.of());
        }

        /** Reads per second of CPU time of the measuring JVM (the headline: one core's worth of work). */
        double median() {
            return ConnectorThroughput.median(iterations.stream().map(Iteration::readsPerCpuS).toList());
        }
    }

    /**
     * One measured iteration. {@code cpuNanos} is the CPU time of the whole measuring JVM (benchmark thread, GC, JIT),
     * which is pinned to one core, so reads per CPU-second is reads per second of one core even when other processes
     * take turns on that core; {@code wallNanos} is the elapsed time. {@code cpuNanos / wallNanos} is the share of
     * the core this JVM got (about 1.0 on a quiet machine, where both figures agree).
     */
    record Iteration(long reads, long messages, long wallNanos, long cpuNanos) {

        double readsPerCpuS() {
            return reads / (cpuNanos / 1e9);
        }

        double readsPerWallS() {
            return reads / (wallNanos / 1e9);
        }

        double messagesPerCpuS() {
            return messages / (cpuNanos / 1e9);
        }

        double coreShare() {
            return (double) cpuNanos / wallNanos;
        }
    }

    /** JMH-style sink: the JIT cannot prove the consumed values unused, and the common path writes nothing shared. */
    static final class Blackhole {
        private volatile int mask = 1;
        private int seed = (int) System.nanoTime();
        private volatile Object leaked;

        void consume(Object o) {
            int m = mask;
            int s = seed = seed * 1664525 + 1013904223;
            if ((s & m) == 0) {
                leaked = new WeakReference<>(o);
                mask = (m << 1) + 1;
            }
        }

        void consume(int v) {
            int s = seed = seed * 1664525 + 1013904223;
            if (s == v) { // practically never true, but the JIT cannot know
                leaked = v;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        BenchHome.quietLogging();
        Options options = Options.parse(args);
        if (options.child != null) {
            Result r = measure(options.child, options);
            System.out.flush();
            System.out.println(RESULT_PREFIX + JSON.writeValueAsString(r));
            System.out.flush();
            System.exit(0);
        }
        String loadBefore = loadAverage();
        long started = System.nanoTime();
        ConnectorCatalog catalog = ConnectorCatalog.load(Path.of("connectors"), Path.of("mappings"));
        List<String> ids = new ArrayList<>();
        java.util.Set<String> all = new java.util.TreeSet<>(catalog.all().keySet());
        all.addAll(catalog.broken().keySet());
        for (String id : all) {
            if (options.ids.isEmpty() || options.ids.contains(id)) {
                ids.add(id);
            }
        }
        for (String wanted : options.ids) {
            if (!all.contains(wanted)) {
                ids.add(wanted);
            }
        }
        List<Result> results = new ArrayList<>();
        for (String id : ids) {
            Result r;
            if (catalog.broken().containsKey(id)) {
                r = Result.skipped(id, "?", "does not load: " + oneLine(catalog.broken().get(id)), List.of());
            } else if (catalog.find(id).isEmpty()) {
                r = Result.skipped(id, "?", "no such connector", List.of());
            } else if (options.fork) {
                r = fork(id, options);
            } else {
                r = measure(id, options);
            }
            System.err.printf(Locale.ROOT, "  %-24s %s%n", id, r.skipped != null ? "skipped: " + r.skipped
                    : String.format(Locale.ROOT, "%,.0f reads/s", r.median()));
            results.add(r);
        }
        print(results, options, loadBefore, loadAverage(), (System.nanoTime() - started) / 1e9);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // measuring one connector

    static Result measure(String id, Options options) throws IOException {
        ConnectorCatalog catalog = ConnectorCatalog.load(Path.of("connectors"), Path.of("mappings"));
        Connector connector = catalog.find(id).orElse(null);
        if (connector == null) {
            String why = catalog.broken().get(id);
            return Result.skipped(id, "?", why != null ? "does not load: " + oneLine(why) : "no such connector", List.of());
        }
        Normaliser normaliser = ConnectorSamples.demoNormaliser(Path.of("."));
        Blackhole bh = new Blackhole();

        ConnectorSamples.Prepared ready = ConnectorSamples.prepare(connector, normaliser, Path.of("connectors", id, "samples"), bh::consume);
        List<ConnectorSamples.Sample> prepared = ready.samples();
        List<String> notes = new ArrayList<>(ready.notes());
        if (prepared.isEmpty()) {
            return Result.skipped(id, connector.decoderName(), ready.positives() == 0 ? "no positive samples"
                    : "every positive sample refused", notes);
        }
        if (ready.readsPerCycle() == 0) {
            return Result.skipped(id, connector.decoderName(), "its positive samples yield no read", notes);
        }

        ConnectorSamples.Sample[] s = prepared.toArray(new ConnectorSamples.Sample[0]);
        RawMessage[] messages = prepared.stream().map(ConnectorSamples.Sample::message).toArray(RawMessage[]::new);
        long[] callNanos = new long[s.length];
        long[] calls = new long[s.length];
        long[] ignoreNanos = new long[s.length];
        long[] ignoreCalls = new long[s.length];

        // warm-up: at least --warmup-s of CPU time, then on in short rounds until the JIT stops compiling (a JVM
        // that gets only part of its core must not measure before C2 is done, whatever the wall clock says)
        long warmCpu0 = processCpuNanos();
        long warmWall0 = System.nanoTime();
        loop(connector, normaliser, messages, (long) (options.warmupS * 1e9), ignoreNanos, ignoreCalls, bh);
        int rounds = 0;
        for (long compiled = compilationMillis(); rounds < MAX_WARMUP_ROUNDS; rounds++) {
            loop(connector, normaliser, messages, WARMUP_ROUND_NANOS, ignoreNanos, ignoreCalls, bh);
            long now = compilationMillis();
            if (now == compiled) {
                break;
            }
            compiled = now;
        }
        double warmupCpuS = (processCpuNanos() - warmCpu0) / 1e9;
        if (warmupCpuS <= 0) {
            warmupCpuS = (System.nanoTime() - warmWall0) / 1e9;
        }
        if (rounds == MAX_WARMUP_ROUNDS) {
            notes.add("the JIT was still compiling after " + String.format(Locale.ROOT, "%.1f", warmupCpuS)
                    + " CPU-s of warm-up");
        }
        java.time.Instant measuredFrom = java.time.Instant.now();
        List<Iteration> iterations = new ArrayList<>();
        long wallTotal = 0;
        long cpuTotal = 0;
        for (int it = 0; it < options.iterations; it++) {
            long[] itNanos = new long[s.length];
            long[] itCalls = new long[s.length];
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            loop(connector, normaliser, messages, (long) (options.iterationS * 1e9), itNanos, itCalls, bh);
            long wall = System.nanoTime() - t0;
            long cpu = processCpuNanos() - cpu0;
            long reads = 0;
            long msgs = 0;
            for (int i = 0; i < s.length; i++) {
                reads += itCalls[i] * s[i].reads();
                msgs += itCalls[i];
                callNanos[i] += itNanos[i];
                calls[i] += itCalls[i];
            }
            iterations.add(new Iteration(reads, msgs, wall, cpu > 0 ? cpu : wall));
            wallTotal += wall;
            cpuTotal += cpu > 0 ? cpu : wall;
        }
        dumpRecording(options.jfrDir, id, measuredFrom, java.time.Instant.now(), notes);
        // per-sample figures are wall-clock per call, scaled by the core share of the run (no per-call CPU clock:
        // reading it costs about a microsecond, as much as a small message)
        double share = Math.min(1.0, (double) cpuTotal / wallTotal);
        List<SampleStat> perSample = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            perSample.add(new SampleStat(s[i].name(), s[i].message().payload().length, s[i].reads(), calls[i], callNanos[i], share));
        }
        double payloadAvg = prepared.stream().mapToInt(p -> p.message().payload().length).average().orElse(0);
        int readsPerCycle = ready.readsPerCycle();
        return new Result(id, connector.decoderName(), null, notes, s.length, readsPerCycle, payloadAvg, warmupCpuS,
                iterations, perSample);
    }

    /**
     * Cycles over the messages until this JVM has spent {@code cpuNanos} of CPU time (wall-clock time where the
     * platform gives no process CPU time; at most 50 times as long in wall-clock time). One clock read per call,
     * charged to the sample it timed; the CPU clock (10 ms granularity, a few µs per read) is read every 5 ms only.
     */
    static void loop(Connector connector, Normaliser normaliser, RawMessage[] messages, long cpuNanos, long[] callNanos,
                     long[] calls, Blackhole bh) {
        int n = messages.length;
        int i = 0;
        long cpu0 = processCpuNanos();
        long t = System.nanoTime();
        long wallStart = t;
        long wallEnd = t + 50 * cpuNanos;
        long nextCheck = t + CHECK_NANOS;
        while (true) {
            bh.consume(once(connector, normaliser, messages[i], bh));
            long now = System.nanoTime();
            callNanos[i] += now - t;
            calls[i]++;
            t = now;
            if (++i == n) {
                i = 0;
            }
            if (now >= nextCheck) {
                long spent = cpu0 < 0 ? now - wallStart : processCpuNanos() - cpu0;
                if (spent >= cpuNanos || now >= wallEnd) {
                    return;
                }
                t = System.nanoTime(); // the check is not charged to the next sample
                nextCheck = t + CHECK_NANOS;
            }
        }
    }

    /**
     * Dumps the JFR recording this JVM was started with ({@code -XX:StartFlightRecording}, which the fork and
     * bench/connectors.sh add for --jfr) to {@code DIR/<id>.jfr} and adds the hot spots of the measured window to the
     * notes. A recording started at run time instead ({@code new Recording().start()}) is no use here: on JDK 17 it
     * slowed this loop down about 30-fold, measured, where one started at launch costs a few per cent.
     */
    static void dumpRecording(Path dir, String id, java.time.Instant from, java.time.Instant to, List<String> notes)
            throws IOException {
        if (dir == null) {
            return;
        }
        List<jdk.jfr.Recording> running = jdk.jfr.FlightRecorder.isAvailable()
                ? jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings() : List.of();
        if (running.isEmpty()) {
            notes.add("--jfr: no JFR recording in this JVM (start it with -XX:StartFlightRecording)");
            return;
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(id + ".jfr");
        running.get(0).dump(file);
        notes.add("JFR recording: " + file + " (hot spots below: the measured iterations only)");
        notes.addAll(hotSpots(file, from, to, 12));
    }

    /** Top methods by own samples and by inclusive samples (each method once per stack), from a JFR file. */
    static List<String> hotSpots(Path file, java.time.Instant from, java.time.Instant to, int top) throws IOException {
        Map<String, Integer> self = new java.util.HashMap<>();
        Map<String, Integer> inclusive = new java.util.HashMap<>();
        int samples = 0;
        for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
                    || e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                continue;
            }
            List<jdk.jfr.consumer.RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(method(frames.get(0)), 1, Integer::sum);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (jdk.jfr.consumer.RecordedFrame f : frames) {
                String m = method(f);
                if (!m.startsWith(ConnectorThroughput.class.getName()) && seen.add(m)) {
                    inclusive.merge(m, 1, Integer::sum);
                }
            }
        }
        List<String> out = new ArrayList<>();
        int n = samples;
        out.add("hot spots, " + n + " execution samples; self time:");
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> out.add(String.format(Locale.ROOT, "  %5.1f%% %s", 100.0 * en.getValue() / n, en.getKey())));
        out.add("inclusive (method on the stack):");
        inclusive.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3L * top)
                .forEach(en -> out.add(String.format(Locale.ROOT, "  %5.1f%% %s", 100.0 * en.getValue() / n, en.getKey())));
        return out;
    }

    private static String method(jdk.jfr.consumer.RecordedFrame f) {
        return f.getMethod() == null ? "?" : f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** Total time the JIT compilers have worked, ms; -1 when unknown. */
    static long compilationMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** What the hub does with a message before storing it: decode + map ({@link Connector#extract}), normalise every read. */
    static int once(Connector connector, Normaliser normaliser, RawMessage message, Blackhole bh) {
        Connector.Extracted extracted = connector.extract(message);
        List<VendorRead> reads = extracted.reads();
        for (int r = 0; r < reads.size(); r++) {
            bh.consume(normaliser.normalise(reads.get(r), connector.vendor(), message, extracted.decoded().attachments(), false));
        }
        bh.consume(extracted);
        return reads.size();
    }

    /** CPU time of this JVM, all threads; -1 when the platform does not say. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // forking

    static Result fork(String id, Options options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(FORK_JVM_ARGS);
        if (options.jfrDir != null) {
            cmd.add("-XX:FlightRecorderOptions:stackdepth=256"); // Jackson/JSLT stacks are deep
            cmd.add("-XX:StartFlightRecording:settings=profile");
            cmd.add("-XX:+UnlockDiagnosticVMOptions"); // exact frames for inlined code, not the nearest safepoint
            cmd.add("-XX:+DebugNonSafepoints");
        }
        String extra = System.getProperty("bench.jvmArgs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(Arrays.asList(extra.split("\\s+")));
        }
        for (String property : List.of("slf4j.provider", "slf4j.internal.verbosity")) {
            if (System.getProperty(property) != null) {
                cmd.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ConnectorThroughput.class.getName());
        cmd.addAll(options.childArgs(id));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Result result = null;
        List<String> other = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(RESULT_PREFIX)) {
                    result = JSON.readValue(line.substring(RESULT_PREFIX.length()), Result.class);
                } else {
                    other.add(line);
                }
            }
        }
        int exit = p.waitFor();
        if (result == null) {
            String tail = other.isEmpty() ? "" : ": " + oneLine(other.get(other.size() - 1));
            return Result.skipped(id, "?", "forked JVM failed (exit " + exit + ")" + tail, List.of());
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // report

    static void print(List<Result> results, Options o, String loadBefore, String loadAfter, double wallS) {
        StringBuilder b = new StringBuilder();
        b.append("## Connector throughput: decode + mapping + normalisation, one core\n\n");
        b.append("Harness: hand-written single-threaded loop (`uk.anprhub.bench.ConnectorThroughput`), not JMH "
                + "(JMH 1.37 is not a project dependency); JMH-style blackhole sink, ")
                .append(o.fork ? "one fresh JVM per connector (" + String.join(" ", FORK_JVM_ARGS)
                        + extraJvmArgs() + ")" : "all connectors in one JVM (--no-fork)")
                .append(", warm-up ").append(fmt(o.warmupS)).append(" CPU-s then on until the JIT stops compiling, ")
                .append(o.iterations).append(" × ").append(fmt(o.iterationS))
                .append(" CPU-s measured per connector. RawMessages pre-built in memory "
                        + "(no file I/O). Reads/s per core = reads / CPU time of the measuring JVM (all its threads: "
                        + "benchmark, GC, JIT; pinned to one core), median of the iterations (min–max); wall-clock "
                        + "reads/s and the share of the core the JVM got are shown beside it. Samples yielding no read "
                        + "are cycled too and count as overhead.\n\n");
        b.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        b.append("- CPUs allowed: ").append(cpusAllowed()).append(" (availableProcessors=")
                .append(Runtime.getRuntime().availableProcessors()).append(")\n");
        b.append("- load average before: ").append(loadBefore).append(", after: ").append(loadAfter)
                .append(String.format(Locale.ROOT, " (run took %.0f s)%n%n", wallS));

        b.append("| connector | decoder | samples (reads) | reads/s per core, median (min–max) | µs per read "
                + "| wall-clock reads/s | core share | messages/s per core | payload bytes (avg) | warm-up CPU-s | ≥ 20,000 reads/s |\n");
        b.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        Result slowest = null;
        for (Result r : results) {
            if (r.skipped != null) {
                b.append("| ").append(r.id).append(" | ").append(r.decoder).append(" | – | skipped: ")
                        .append(r.skipped.replace("|", "\\|")).append(" | | | | | | | |\n");
                continue;
            }
            if (slowest == null || r.median() < slowest.median()) {
                slowest = r;
            }
            double med = r.median();
            double min = r.iterations.stream().mapToDouble(Iteration::readsPerCpuS).min().orElse(0);
            double max = r.iterations.stream().mapToDouble(Iteration::readsPerCpuS).max().orElse(0);
            double wall = median(r.iterations.stream().map(Iteration::readsPerWallS).toList());
            double share = median(r.iterations.stream().map(Iteration::coreShare).toList());
            double msgs = median(r.iterations.stream().map(Iteration::messagesPerCpuS).toList());
            String verdict = med >= TARGET_READS_PER_S ? (min >= TARGET_READS_PER_S ? "yes" : "yes (min below)") : "**NO**";
            b.append(String.format(Locale.ROOT, "| %s | %s | %d (%d) | %,.0f (%,.0f–%,.0f) | %.1f | %,.0f | %.0f%% | %,.0f | %,.0f | %.1f | %s |%n",
                    r.id, r.decoder, r.samples, r.readsPerCycle, med, min, max, 1e6 / med, wall, 100 * share, msgs,
                    r.payloadAvg, r.warmupCpuS, verdict));
        }
        b.append('\n');
        if (slowest != null) {
            long below = results.stream().filter(r -> r.skipped == null && r.median() < TARGET_READS_PER_S).count();
            b.append(String.format(Locale.ROOT, "Slowest: **%s** at %,.0f reads/s per core (%.1f µs per read); target %,.0f: %s.%n%n",
                    slowest.id, slowest.median(), 1e6 / slowest.median(), TARGET_READS_PER_S,
                    below == 0 ? "every measured connector meets it" : below + " connector(s) below it"));
        }
        boolean anyNotes = results.stream().anyMatch(r -> !r.notes.isEmpty());
        if (anyNotes) {
            b.append("Notes:\n\n");
            for (Result r : results) {
                for (String n : r.notes) {
                    b.append(n.startsWith("  ") ? "    " + n.strip() : "- " + r.id + ": " + n).append('\n');
                }
            }
            b.append('\n');
        }
        b.append("Per sample (all measured iterations; CPU µs per message = decode + map + normalise of all its reads, "
                + "wall-clock per call scaled by the core share):\n\n");
        b.append("| connector | sample | bytes | reads | µs per message |\n| --- | --- | ---: | ---: | ---: |\n");
        for (Result r : results) {
            for (SampleStat s : r.perSample) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %,d | %d | %.1f |%n", r.id, s.name, s.bytes, s.reads,
                        s.cpuMicrosPerCall()));
            }
        }
        System.out.print(b);
        System.out.flush();
    }

    static String extraJvmArgs() {
        String extra = System.getProperty("bench.jvmArgs", "").trim();
        return extra.isEmpty() ? "" : " " + extra;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return l < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", l);
        }
    }

    static String cpusAllowed() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "n/a";
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }


    private ConnectorThroughput() {
    }
}
