package uk.anprhub.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Writes a run's report.md, timeline.png and samples.csv. */
final class BenchReport {

    /** London soon: 21 M reads a day; the national service: 55 M a day. Peak: assumed 3 × the daily average. */
    static final double LONDON_PER_DAY = 21e6;
    static final double NATIONAL_PER_DAY = 55e6;
    static final double PEAK_FACTOR = 3;

    private final BenchRun.Mode mode;
    private final List<BenchRun.Result> results;
    private final List<Sampler.Sample> samples;
    private final List<BenchRun.Sim> sims;
    private final BenchRun.Result hubSingle;
    private final BenchRun.Result plain;

    BenchReport(BenchRun.Mode mode, List<BenchRun.Result> results, List<Sampler.Sample> samples, List<BenchRun.Sim> sims,
                BenchRun.Result hubSingle, BenchRun.Result plain) {
        this.mode = mode;
        this.results = results;
        this.samples = samples;
        this.sims = sims;
        this.hubSingle = hubSingle;
        this.plain = plain;
    }

    /** {@code jfr}: the hub's recording or null; its samples between {@code from} and {@code to} are summarised. */
    void write(Path out, Path jfr, Instant from, Instant to) throws IOException {
        csv(out.resolve("samples.csv"));
        chart(out.resolve("timeline.png"));
        Files.writeString(out.resolve("report.md"), markdown(out, jfr, from, to));
    }

    private String markdown(Path out, Path jfr, Instant from, Instant to) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# ANPR Hub benchmark — ").append(mode.name()).append(" mode\n\n");
        md.append("`bench/run.sh ").append(mode.name()).append("`, ")
                .append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))).append(". ")
                .append(machine()).append(" The hub, PostgreSQL, the NAS simulator and the load generators all share this machine: ")
                .append("every figure is a floor for a hub with the machine to itself.\n\n");

        md.append("| scenario | reads/s acknowledged | reads/s stored (hub) | ack p50 / p99 ms | hub CPU % | PostgreSQL CPU % | PostgreSQL CPU µs per read | load generator CPU % | machine busy % | hub RSS MB | disk write MB/s |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (BenchRun.Result r : results) {
            BenchRun.Usage u = r.usage();
            boolean hubIdle = List.of("copy", "plain-camel", "drain").contains(r.id()); // the hub stores nothing then
            boolean hubStopped = List.of("copy", "plain-camel").contains(r.id());
            md.append(String.format(Locale.ROOT, "| **%s**: %s | %,.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.id(), r.what(),
                    r.readsPerSecond(), hubIdle || Double.isNaN(u.storedPerS()) ? "–" : String.format(Locale.ROOT, "%,.0f", u.storedPerS()), Double.isNaN(r.p50Ms()) ? "–" : String.format(Locale.ROOT, "%.1f / %.1f", r.p50Ms(), r.p99Ms()),
                    hubStopped ? "–" : pct(u.hubCpu()), pct(u.pgCpu()), pgMicrosPerRead(r), pct(u.simCpu() + u.nasSimCpu()), pct(u.machineBusy() * 2),
                    hubStopped || u.hubRssMb() == 0 ? "–" : u.hubRssMb(), Double.isNaN(u.diskMbPerS()) ? "–" : String.format(Locale.ROOT, "%.1f", u.diskMbPerS())));
        }
        md.append("\nCPU in percent of one core (200 % = the whole machine); load generator = camera-sim + nas-sim. "
                + "PostgreSQL CPU µs per read = its CPU over the reads of the scenario (acknowledged; delivered for the drain): "
                + "in the ingest scenarios it includes delivering those reads to NAS at the same time.\n\n");
        md.append("Outcomes:\n\n");
        for (BenchRun.Result r : results) {
            md.append("- **").append(r.id()).append("**: ").append(r.note()).append('\n');
        }

        md.append("\n## Against the references (same run, same PostgreSQL)\n\n");
        Optional<BenchRun.Result> copy = find("copy");
        Optional<BenchRun.Result> batch = find("http-batch");
        if (copy.isPresent() && batch.isPresent()) {
            md.append(String.format(Locale.ROOT, "- Physical limit: the hub stores HTTP batches at **%.0f %%** of a bare PostgreSQL `COPY` of the same rows "
                    + "(%,.0f vs %,.0f reads/s) — while also parsing, validating, de-duplicating, acknowledging each request after its commit "
                    + "and delivering to NAS.%n", 100 * batch.get().readsPerSecond() / copy.get().readsPerSecond(),
                    batch.get().readsPerSecond(), copy.get().readsPerSecond()));
        }
        if (plain != null && hubSingle != null) {
            md.append(String.format(Locale.ROOT, "- Plain Camel route (the same 20 clients, single reads): the hub takes **%.1f ×** its throughput "
                    + "(%,.0f vs %,.0f reads/s), p99 %.0f vs %.0f ms. The plain route is not a fair competitor on safety: it has no "
                    + "de-duplication, no quarantine, no outage buffer and holds the camera until NAS has answered.%n",
                    hubSingle.readsPerSecond() / plain.readsPerSecond(), hubSingle.readsPerSecond(), plain.readsPerSecond(),
                    hubSingle.p99Ms(), plain.p99Ms()));
            batch.ifPresent(b -> md.append(String.format(Locale.ROOT, "- With batches the hub takes %.0f × the plain route.%n",
                    b.readsPerSecond() / plain.readsPerSecond())));
        }

        md.append("\n## Against the targets\n\n");
        double nationalPeak = NATIONAL_PER_DAY / 86_400 * PEAK_FACTOR;
        double best = results.stream().filter(r -> List.of("http-batch", "tcp", "http-single", "http-vendor", "ftp").contains(r.id()))
                .mapToDouble(BenchRun.Result::readsPerSecond).max().orElse(0);
        md.append(String.format(Locale.ROOT, "- National volume: %,.0f M reads/day = %,.0f reads/s on average; assuming peaks of %.0f × the average, "
                        + "ten times the national peak is **%,.0f reads/s**. Best sustained ingest here: %,.0f reads/s (%.0f %% of that target).%n",
                NATIONAL_PER_DAY / 1e6, NATIONAL_PER_DAY / 86_400, PEAK_FACTOR, 10 * nationalPeak, best, 100 * best / (10 * nationalPeak)));
        find("drain").ifPresent(d -> md.append(String.format(Locale.ROOT, "- A full-day NAS outage for London (%,.0f M reads) drains at %,.0f reads/s "
                        + "in **%.0f minutes** (target: under 60) while live traffic continues (outage scenario below).%n",
                LONDON_PER_DAY / 1e6, d.readsPerSecond(), LONDON_PER_DAY / (d.readsPerSecond() - LONDON_PER_DAY / 86_400) / 60)));
        md.append("\n## Where the ceiling is\n\n").append(ceiling()).append('\n');

        if (jfr != null && Files.exists(jfr)) {
            md.append("\n## Hot spots of the hub (JFR execution samples during the ingest scenarios)\n\n");
            md.append(HotSpots.summarise(jfr, from, to));
        }
        Path jmh = out.resolve("jmh.md");
        if (Files.exists(jmh)) {
            String table = Files.readString(jmh).replaceFirst("^#+ [^\n]*\n+", ""); // its own title
            md.append("\n## Hot functions (JMH, `bench/jmh.sh`)\n\n").append(table).append('\n');
        }
        md.append("\n## Timeline\n\n![throughput, latency and CPU over the run](timeline.png)\n\n");
        md.append("Raw per-second samples: samples.csv; camera-sim reports: sim-*.json; process logs: logs/.\n");
        return md.toString();
    }

    /** PostgreSQL's CPU time per read of the scenario (issue 17's measure), from its CPU share and the rate. */
    private static String pgMicrosPerRead(BenchRun.Result r) {
        double cpu = r.usage().pgCpu();
        return Double.isNaN(cpu) || r.readsPerSecond() <= 0 ? "–"
                : String.format(Locale.ROOT, "%.0f", cpu / 100 * 1e6 / r.readsPerSecond());
    }

    /** Names the saturated resource of each ingest scenario from the samples. */
    private String ceiling() {
        StringBuilder b = new StringBuilder();
        for (BenchRun.Result r : results) {
            if (!List.of("http-batch", "http-single", "http-vendor", "tcp", "ftp", "drain").contains(r.id())) {
                continue;
            }
            BenchRun.Usage u = r.usage();
            double busy = u.machineBusy() * 2;
            String verdict = busy >= 170 ? "CPU-bound: the two cores are busy" : busy >= 120 ? "mostly CPU-bound"
                    : r.id().equals("drain") ? "not CPU-bound (the drain is uncapped here: waits on round trips to nas-sim and PostgreSQL)"
                    : "not CPU-bound (waits: latency/round trips)";
            b.append(String.format(Locale.ROOT, "- %s: machine %.0f %% of 200 — %s; hub %.0f %%, PostgreSQL %.0f %%, load generators %.0f %%; disk %.1f MB/s.%n",
                    r.id(), busy, verdict, u.hubCpu(), u.pgCpu(), u.simCpu() + u.nasSimCpu(), u.diskMbPerS()));
        }
        return b.toString();
    }

    private Optional<BenchRun.Result> find(String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String machine() {
        String cpu = "?";
        long memKb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
            memKb = Long.parseLong(Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D", ""));
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return String.format(Locale.ROOT, "Machine: %d cores (%s), %.0f GiB, Java %s; load average at the end %s.",
                Runtime.getRuntime().availableProcessors(), cpu, memKb / 1048576.0, System.getProperty("java.version"),
                BenchRun.loadAverage());
    }

    private void csv(Path file) throws IOException {
        StringBuilder b = new StringBuilder("t,scenario,hub_cpu,pg_cpu,sim_cpu,nas_sim_cpu,machine_busy,machine_iowait,hub_rss_mb,"
                + "disk_write_mb_s,stored_total,delivered_total,backlog\n");
        for (Sampler.Sample s : samples) {
            b.append(String.format(Locale.ROOT, "%.1f,%s,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%.2f,%.0f,%.0f,%.0f%n", s.t(), s.scenario(),
                    s.hubCpu(), s.pgCpu(), s.simCpu(), s.nasSimCpu(), s.machineBusy(), s.machineIowait(), s.hubRssMb(),
                    s.diskWriteMbPerS(), s.storedTotal(), s.deliveredTotal(), s.backlog()));
        }
        Files.writeString(file, b);
    }

    /** Three stacked plots on one time axis: reads/s, acknowledgement latency, CPU; scenarios shaded. */
    private void chart(Path file) throws IOException {
        XYSeries stored = new XYSeries("stored reads/s"), delivered = new XYSeries("delivered to NAS reads/s"),
                backlog = new XYSeries("NAS backlog / 10");
        for (int i = 1; i < samples.size(); i++) {
            Sampler.Sample a = samples.get(i - 1), s = samples.get(i);
            double dt = s.t() - a.t();
            if (!Double.isNaN(s.storedTotal()) && !Double.isNaN(a.storedTotal())) {
                stored.add(s.t(), Math.max(0, (s.storedTotal() - a.storedTotal()) / dt));
                delivered.add(s.t(), Math.max(0, (s.deliveredTotal() - a.deliveredTotal()) / dt));
                backlog.add(s.t(), s.backlog() / 10);
            }
        }
        XYSeries p50 = new XYSeries("ack p50 ms"), p99 = new XYSeries("ack p99 ms");
        for (BenchRun.Sim sim : sims) {
            JsonNode timeline = sim.report() == null ? null : sim.report().path("timeline");
            if (timeline == null || !timeline.isArray()) {
                continue;
            }
            for (JsonNode second : timeline) {
                double t = sim.startedAt + sim.warmup + second.path("second").asDouble() + 1;
                if (second.path("requests").asLong() > 0) {
                    p50.add(t, second.path("p50Ms").asDouble());
                    p99.add(t, second.path("p99Ms").asDouble());
                }
            }
        }
        XYSeries hub = new XYSeries("hub CPU %"), pg = new XYSeries("PostgreSQL CPU %"), gen = new XYSeries("load generators CPU %");
        for (Sampler.Sample s : samples) {
            hub.add(s.t(), s.hubCpu());
            pg.add(s.t(), s.pgCpu());
            gen.add(s.t(), s.simCpu() + s.nasSimCpu());
        }
        NumberAxis time = new NumberAxis("seconds since the hub was up");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        XYPlot top = plot(collection(stored, delivered, backlog), "reads/s", false);
        for (Map.Entry<String, double[]> span : spans().entrySet()) {
            IntervalMarker m = new IntervalMarker(span.getValue()[0], span.getValue()[1]);
            m.setPaint(new Color(0, 0, 0, span.getKey().hashCode() % 2 == 0 ? 12 : 28));
            m.setLabel(span.getKey());
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            top.addDomainMarker(m);
        }
        plot.add(top, 3);
        plot.add(plot(collection(p50, p99), "ack latency ms", true), 2);
        plot.add(plot(collection(hub, pg, gen), "CPU % of one core", false), 2);
        JFreeChart chart = new JFreeChart("ANPR Hub benchmark (" + mode.name() + ")", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1400, 900);
    }

    /** Each measured scenario's first and last sample time. */
    private Map<String, double[]> spans() {
        Map<String, double[]> spans = new LinkedHashMap<>();
        for (Sampler.Sample s : samples) {
            if (s.scenario().contains("warm-up") || s.scenario().equals("start") || s.scenario().equals(BenchRun.IDLE)) {
                continue;
            }
            spans.computeIfAbsent(s.scenario(), k -> new double[] {s.t() - 1, s.t()})[1] = s.t();
        }
        return spans;
    }

    private static XYSeriesCollection collection(XYSeries... series) {
        XYSeriesCollection c = new XYSeriesCollection();
        for (XYSeries s : series) {
            c.addSeries(s);
        }
        return c;
    }

    private static XYPlot plot(XYSeriesCollection data, String label, boolean log) {
        NumberAxis axis = log ? new org.jfree.chart.axis.LogarithmicAxis(label) : new NumberAxis(label);
        if (log) {
            ((org.jfree.chart.axis.LogarithmicAxis) axis).setAllowNegativesFlag(false);
            ((org.jfree.chart.axis.LogarithmicAxis) axis).setStrictValuesFlag(false);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        XYPlot p = new XYPlot(data, null, axis, renderer);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }
}
