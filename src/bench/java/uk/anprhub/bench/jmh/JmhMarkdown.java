package uk.anprhub.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON result file ({@code -rf json}) into a Markdown table: {@code JmhMarkdown jmh.json jmh.md [header]}.
 * One row per benchmark and parameter set: score ± error (99.9 %), unit, and the secondary results (for
 * {@link ConnectorBenchmark}, {@code reads}/s is the headline and goes in its own column).
 */
public final class JmhMarkdown {

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: JmhMarkdown jmh.json out.md [header line]");
            System.exit(64);
        }
        JsonNode runs = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        StringBuilder b = new StringBuilder();
        b.append("## JMH results\n\n");
        if (args.length > 2) {
            b.append(args[2]).append("\n\n");
        }
        b.append("| benchmark | params | mode | score | ± error (99.9 %) | unit | reads/s | other secondary results | forks × iterations |\n");
        b.append("| --- | --- | --- | ---: | ---: | --- | ---: | --- | --- |\n");
        for (JsonNode r : runs) {
            String name = r.path("benchmark").asText();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            StringBuilder params = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                params.append(params.isEmpty() ? "" : ", ").append(p.getKey()).append('=').append(p.getValue().asText());
            }
            JsonNode primary = r.path("primaryMetric");
            String unit = primary.path("scoreUnit").asText();
            String reads = "";
            StringBuilder other = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("secondaryMetrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> s = it.next();
                String v = number(s.getValue().path("score").asDouble()) + " ± " + number(s.getValue().path("scoreError").asDouble());
                if (s.getKey().equals("reads")) {
                    reads = v;
                } else {
                    other.append(other.isEmpty() ? "" : "; ").append(s.getKey()).append(' ').append(v).append(' ')
                            .append(s.getValue().path("scoreUnit").asText());
                }
            }
            if (reads.isEmpty() && unit.equals("ops/s")) {
                reads = number(primary.path("score").asDouble()); // ops = reads for the other benchmarks
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d × %d |%n", name, params,
                    r.path("mode").asText(), number(primary.path("score").asDouble()),
                    number(primary.path("scoreError").asDouble()), unit, reads, other, r.path("forks").asInt(),
                    r.path("measurementIterations").asInt()));
        }
        b.append("\nreads/s: ConnectorBenchmark's `reads` counter (its primary score is messages/s); the other benchmarks "
                + "count one op per read (BatchInsertBenchmark: 500 ops per invocation).\n");
        Files.writeString(Path.of(args[1]), b);
        System.out.print(b);
    }

    static String number(double d) {
        if (Double.isNaN(d)) {
            return "–";
        }
        return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.2f", d);
    }

    private JmhMarkdown() {
    }
}
