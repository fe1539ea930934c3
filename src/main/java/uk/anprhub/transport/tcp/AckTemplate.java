package uk.anprhub.transport.tcp;

import uk.anprhub.ingest.HttpAnswer;
import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.ingest.IngestOutcome.Problem;

import java.util.List;

import java.nio.charset.StandardCharsets;

/**
 * The per-frame reply of a feed: text with escapes ({@code \r \n \t \0 \\ \xHH}) and placeholders filled from the
 * frame's {@link IngestOutcome}: {@code {status}} (the HTTP code the same outcome gets, docs/transports.md promises it), {@code {received}}, {@code {stored}},
 * {@code {duplicates}}, {@code {quarantined}} (reads or messages quarantined) and {@code {reason}} (the first
 * quarantine reason, or empty). Characters are sent as ISO-8859-1 bytes, so {@code \xHH} is exactly byte HH.
 */
final class AckTemplate {

    private final String template;
    private final boolean placeholders;

    private AckTemplate(String template) {
        this.template = template;
        this.placeholders = template.indexOf('{') >= 0;
    }

    /** Null for an unset or empty template (no reply). */
    static AckTemplate parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return new AckTemplate(unescape(text));
    }

    /** The reply to a settled frame (stored, nothing to store, or quarantined). */
    byte[] render(IngestOutcome o) {
        String s = template;
        if (placeholders) {
            int received = 0;
            int stored = 0;
            int duplicates = 0;
            List<Problem> problems = List.of();
            if (o instanceof IngestOutcome.Stored st) {
                received = st.received();
                stored = st.stored();
                duplicates = st.duplicates();
                problems = st.quarantined();
            } else if (o instanceof IngestOutcome.Quarantined q) {
                received = q.received() == null ? 0 : q.received();
                problems = q.problems();
            }
            s = s.replace("{status}", Integer.toString(HttpAnswer.of(o).status()))
                    .replace("{received}", Integer.toString(received))
                    .replace("{stored}", Integer.toString(stored))
                    .replace("{duplicates}", Integer.toString(duplicates))
                    .replace("{quarantined}", Integer.toString(problems.size()))
                    .replace("{reason}", problems.isEmpty() ? "" : problems.get(0).reason().code());
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String unescape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                b.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'r' -> b.append('\r');
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case '0' -> b.append('\0');
                case '\\' -> b.append('\\');
                case 'x' -> {
                    if (i + 3 > text.length()) {
                        throw new IllegalArgumentException("incomplete \\x escape in '" + text + "'");
                    }
                    b.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " in '" + text + "'");
            }
        }
        return b.toString();
    }
}
