package uk.anprhub.bench.run;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the hub's Java threads spend CPU, from a JFR recording: the hottest methods (self time, the frame on top of
 * the stack) and the share of each library (the top frame's package family), so cost can be pinned on HTTP, Camel,
 * JSON, JDBC or our own code.
 */
final class HotSpots {

    /** Package families, most specific first; the first prefix that matches the top frame's class names its owner. */
    private static final Map<String, String> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put("uk.anprhub.", "ANPR Hub (ours)");
        FAMILIES.put("com.schibsted.spt.data.jslt", "JSLT mappings");
        FAMILIES.put("com.fasterxml.jackson", "Jackson JSON/XML");
        FAMILIES.put("org.postgresql", "PostgreSQL JDBC driver");
        FAMILIES.put("com.zaxxer.hikari", "HikariCP");
        FAMILIES.put("org.apache.camel", "Camel");
        FAMILIES.put("org.springframework.security", "Spring Security");
        FAMILIES.put("org.springframework", "Spring (web, core)");
        FAMILIES.put("org.apache.catalina", "Tomcat");
        FAMILIES.put("org.apache.coyote", "Tomcat");
        FAMILIES.put("org.apache.tomcat", "Tomcat");
        FAMILIES.put("io.netty", "Netty (TCP feeds)");
        FAMILIES.put("org.apache.ftpserver", "FtpServer");
        FAMILIES.put("org.apache.mina", "FtpServer");
        FAMILIES.put("io.micrometer", "Micrometer");
        FAMILIES.put("ch.qos.logback", "logging");
        FAMILIES.put("org.slf4j", "logging");
        FAMILIES.put("jdk.internal.net.http", "JDK HTTP client (delivery)");
        FAMILIES.put("sun.nio", "JDK I/O");
        FAMILIES.put("java.io", "JDK I/O");
        FAMILIES.put("sun.security", "JDK crypto");
        FAMILIES.put("java.security", "JDK crypto");
        FAMILIES.put("java.util.regex", "JDK regex");
        FAMILIES.put("java.", "JDK (collections, strings, time)");
        FAMILIES.put("jdk.", "JDK (collections, strings, time)");
        FAMILIES.put("sun.", "JDK (collections, strings, time)");
    }

    private HotSpots() {
    }

    /** {@code HotSpots FILE.jfr [FROM TO]} (ISO instants): the same tables for any recording, e.g. of a hub run by hand with -XX:StartFlightRecording. */
    public static void main(String[] args) throws IOException {
        System.out.print(args.length < 3 ? summarise(Path.of(args[0]))
                : summarise(Path.of(args[0]), Instant.parse(args[1]), Instant.parse(args[2])));
    }

    static String summarise(Path jfr) throws IOException {
        return summarise(jfr, Instant.MIN, Instant.MAX);
    }

    /** The tables for the execution samples taken between {@code from} and {@code to} (the measured scenarios). */
    static String summarise(Path jfr, Instant from, Instant to) throws IOException {
        Map<String, Integer> methods = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> families = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        int total = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStartTime().isBefore(from)
                        || e.getStartTime().isAfter(to)) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                total++;
                List<RecordedFrame> frames = stack.getFrames();
                RecordedFrame top = frames.get(0);
                String type = top.getMethod().getType().getName();
                methods.merge(type + "." + top.getMethod().getName(), 1, Integer::sum);
                families.merge(family(type), 1, Integer::sum);
                Set<String> onStack = new HashSet<>();
                for (RecordedFrame f : frames) {
                    onStack.add(family(f.getMethod().getType().getName()));
                }
                onStack.forEach(f -> inclusive.merge(f, 1, Integer::sum));
                // the innermost frame of our own code: what of ours, directly or through a library, costs the CPU
                for (RecordedFrame f : frames) {
                    String t = f.getMethod().getType().getName();
                    if (t.startsWith("uk.anprhub.")) {
                        ours.merge(t.substring(t.lastIndexOf('.') + 1) + "." + f.getMethod().getName(), 1, Integer::sum);
                        break;
                    }
                }
            }
        }
        if (total == 0) {
            return "No execution samples in " + jfr + ".\n";
        }
        int samples = total;
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%,d samples.%n%n", total));
        md.append("| library | self (top frame) | on the stack |\n| --- | ---: | ---: |\n");
        families.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(14)
                .forEach(e -> md.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% |%n", e.getKey(),
                        100.0 * e.getValue() / samples, 100.0 * inclusive.getOrDefault(e.getKey(), 0) / samples)));
        md.append("\n| hottest methods (self) | share |\n| --- | ---: |\n");
        table(md, methods, total, 15);
        md.append("\n| our code nearest the top of the stack (incl. the libraries it calls) | share |\n| --- | ---: |\n");
        table(md, ours, total, 12);
        return md.toString();
    }

    private static String family(String type) {
        for (Map.Entry<String, String> f : FAMILIES.entrySet()) {
            if (type.startsWith(f.getKey())) {
                return f.getValue();
            }
        }
        return "other (" + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + ")";
    }

    private static void table(StringBuilder md, Map<String, Integer> counts, int total, int rows) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(rows)
                .forEach(e -> md.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / total)));
    }
}
