package uk.anprhub.hotlist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses a hotlist CSV (docs/hotlists.md#csv): a header line naming the columns (any order), then one entry per
 * line. Every line is checked before anything is applied; any bad line refuses the whole file with the line
 * numbers and what is wrong (never the plate).
 */
final class CsvImport {

    static final List<String> COLUMNS = List.of("vrm", "category", "priority", "markers", "instructions", "valid_from",
            "expiry", "source", "action");
    /** Problems reported per refused file; the count says how many more. */
    static final int MAX_PROBLEMS = 50;

    /** The import refused: what is wrong, by line. */
    static final class Refused extends RuntimeException {
        private final transient List<String> problems;
        private final int count;

        Refused(List<String> problems, int count) {
            super(count + " bad line(s), nothing applied: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
            this.count = count;
        }

        List<String> problems() {
            return problems;
        }

        int count() {
            return count;
        }
    }

    /** The body was larger than allowed (an answer 413). */
    static final class TooLarge extends RuntimeException {
        TooLarge(String what) {
            super(what);
        }
    }

    private CsvImport() {
    }

    static List<Entry> parse(InputStream body, boolean delta, long maxBytes, int maxLines) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(new Bounded(body, maxBytes), StandardCharsets.UTF_8));
        List<String> problems = new ArrayList<>();
        int[] bad = {0};
        String header = in.readLine();
        if (header == null) {
            throw new Refused(List.of("line 1: empty file (a header line naming the columns is required)"), 1);
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1); // a spreadsheet's byte-order mark
        }
        Map<String, Integer> col = header(header, delta);
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String line;
        int n = 1;
        while ((line = in.readLine()) != null) {
            n++;
            if (n - 1 > maxLines) {
                throw new TooLarge("more than " + maxLines + " entry lines");
            }
            if (line.isBlank()) {
                continue;
            }
            try {
                List<String> f = fields(line);
                if (f.size() != col.size()) {
                    throw new IllegalArgumentException(f.size() + " fields, the header has " + col.size());
                }
                Entry e = entry(f, col).cleaned();
                if (!seen.add(e.vrm())) {
                    throw new IllegalArgumentException("the same vrm is on an earlier line");
                }
                entries.add(e);
            } catch (IllegalArgumentException e) {
                if (bad[0]++ < MAX_PROBLEMS) {
                    problems.add("line " + n + ": " + e.getMessage());
                }
            }
        }
        if (bad[0] > 0) {
            throw new Refused(problems, bad[0]);
        }
        return entries;
    }

    private static Map<String, Integer> header(String line, boolean delta) {
        List<String> names;
        try {
            names = fields(line).stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
        } catch (IllegalArgumentException e) {
            throw new Refused(List.of("line 1: " + e.getMessage()), 1);
        }
        Map<String, Integer> col = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String c = names.get(i);
            if (!COLUMNS.contains(c)) {
                problems.add("line 1: unknown column '" + uk.anprhub.audit.AuditLog.printable(c, 40) + "' (known: " + COLUMNS + ")");
            } else if (col.put(c, i) != null) {
                problems.add("line 1: column " + c + " given twice");
            }
        }
        if (!col.containsKey("vrm")) {
            problems.add("line 1: a vrm column is required");
        }
        if (!delta && col.containsKey("action")) {
            problems.add("line 1: the action column is for a delta import only (mode=delta)");
        }
        if (!problems.isEmpty()) {
            throw new Refused(problems, problems.size());
        }
        return col;
    }

    private static Entry entry(List<String> f, Map<String, Integer> col) {
        String markers = get(f, col, "markers");
        return new Entry(null, get(f, col, "vrm"), null, get(f, col, "category"), priority(get(f, col, "priority")),
                markers == null ? null : Arrays.asList(markers.split(";")), get(f, col, "instructions"),
                time(get(f, col, "valid_from"), "valid_from", false), time(get(f, col, "expiry"), "expiry", true),
                get(f, col, "source"), get(f, col, "action"));
    }

    private static String get(List<String> f, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        if (i == null) {
            return null;
        }
        String v = f.get(i).strip();
        return v.isEmpty() ? null : v;
    }

    private static Integer priority(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("priority is not a whole number 0-100");
        }
    }

    /** An ISO-8601 instant, or a date: valid from its start, expiring at its end (UTC). */
    private static Instant time(String s, String field, boolean endOfDay) {
        if (s == null) {
            return null;
        }
        try {
            if (s.length() == 10) {
                LocalDate d = LocalDate.parse(s);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not a date (2027-01-31) or UTC time (2027-01-31T12:00:00Z)");
        }
    }

    /** RFC 4180 fields of one line: commas, double quotes around a field, "" inside quotes. No line breaks in a field. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (true) {
            b.setLength(0);
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("a quoted field is not closed");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            b.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        b.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("text after a closing quote");
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    b.append(line.charAt(i++));
                }
            }
            out.add(b.toString());
            if (i >= line.length()) {
                return out;
            }
            i++; // the comma
        }
    }

    /** Refuses a body beyond the limit as it is read (chunked bodies have no length to check first). */
    private static final class Bounded extends java.io.FilterInputStream {
        private final long max;
        private long read;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw new TooLarge("the file is larger than " + max + " bytes");
            }
        }
    }
}
