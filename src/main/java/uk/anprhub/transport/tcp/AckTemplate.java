package uk.anprhub.transport.tcp;

import uk.anprhub.ingest.IngestResult;

import java.nio.charset.StandardCharsets;

/**
 * The per-frame reply of a feed: text with escapes ({@code \r \n \t \0 \\ \xHH}) and placeholders filled from the
 * frame's {@link IngestResult}: {@code {status}} (HTTP-style code), {@code {received}}, {@code {stored}},
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

    byte[] render(IngestResult r) {
        String s = template;
        if (placeholders) {
            int quarantined = r.quarantined() == null ? 0 : r.quarantined().size();
            String reason = r.quarantined() == null || r.quarantined().isEmpty() ? "" : r.quarantined().get(0).reason();
            s = s.replace("{status}", Integer.toString(r.status()))
                    .replace("{received}", Integer.toString(n(r.received())))
                    .replace("{stored}", Integer.toString(n(r.stored())))
                    .replace("{duplicates}", Integer.toString(n(r.duplicates())))
                    .replace("{quarantined}", Integer.toString(quarantined))
                    .replace("{reason}", reason == null ? "" : reason);
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
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
