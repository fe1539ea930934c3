package uk.anprhub.connector.decode;

import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a multipart body into its sections (header lines and content), byte-based and in one pass, since bodies
 * carry megabytes of JPEG. The {@link MultipartDecoder} describes the sections.
 */
final class MultipartBody {

    static final int MAX_PARTS = 64;
    static final int MAX_HEADER_LINES = 64;
    private static final int MAX_BOUNDARY_LENGTH = 200;

    private MultipartBody() {
    }

    /** One section of the body: its headers (lower-case names, values as sent) and its content. */
    record Section(Map<String, String> headers, byte[] bytes) {
    }

    /**
     * The sections of {@code body}, delimited by the {@code boundary} option, else the Content-Type's, else the
     * body's own first "--" line; {@code lenientEnd} accepts a body cut without the closing boundary.
     */
    static List<Section> split(RawMessage message, Map<String, String> opts, byte[] body, boolean lenientEnd) {
        return split(body, delimiter(message, opts, body), lenientEnd);
    }

    // ---- boundary ----

    private static Delimiter delimiter(RawMessage message, Map<String, String> opts, byte[] body) {
        String boundary = opts.get("boundary");
        if (boundary == null || boundary.isBlank()) {
            String contentType = message.contentType() != null ? message.contentType() : message.header("content-type");
            boundary = HeaderValues.contentType(contentType).boundary();
        }
        if (boundary == null || boundary.isBlank()) {
            boundary = detectBoundary(body);
        }
        if (boundary == null || boundary.isBlank() || boundary.length() > MAX_BOUNDARY_LENGTH) {
            throw undecodable("no usable multipart boundary in the Content-Type or the body");
        }
        Delimiter delimiter = new Delimiter("--" + boundary);
        if (delimiter.find(body, 0) < 0 && boundary.startsWith("--")) {
            Delimiter quirk = new Delimiter(boundary);
            if (quirk.find(body, 0) >= 0) {
                return quirk; // camera quirk: the declared boundary already starts with the "--" of the delimiter
            }
        }
        return delimiter;
    }

    /** The first line starting with "--", minus the dashes and trailing whitespace (the body's own boundary). */
    private static String detectBoundary(byte[] body) {
        for (int start = 0; start < body.length; ) {
            int nl = indexOfLineFeed(body, start, body.length);
            int end = nl < 0 ? body.length : nl;
            if (end - start > 2 && body[start] == '-' && body[start + 1] == '-') {
                return new String(body, start + 2, end - start - 2, StandardCharsets.ISO_8859_1).strip();
            }
            start = end + 1;
        }
        return null;
    }

    // ---- splitting ----

    private static List<Section> split(byte[] body, Delimiter delimiter, boolean lenientEnd) {
        int pos = delimiter.find(body, 0);
        if (pos < 0) {
            throw undecodable("multipart boundary not found in the body");
        }
        List<Section> parts = new ArrayList<>();
        while (true) {
            int p = pos + delimiter.length();
            if (p + 1 < body.length && body[p] == '-' && body[p + 1] == '-') {
                break; // closing delimiter; anything after it is epilogue
            }
            while (p < body.length && (body[p] == ' ' || body[p] == '\t')) {
                p++; // transport padding
            }
            if (p >= body.length || (lenientEnd && isBlankTail(body, p))) {
                if (lenientEnd && !parts.isEmpty()) {
                    break; // a stream cut right after a boundary line
                }
                throw undecodable("multipart body ends after a boundary (truncated)");
            }
            p = skipLineBreak(body, p);
            if (parts.size() == MAX_PARTS) {
                throw undecodable("more than " + MAX_PARTS + " multipart parts");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            int contentStart = readHeaders(body, p, headers, parts.size());
            int next = delimiter.find(body, contentStart);
            if (next < 0 && !lenientEnd) {
                throw undecodable("multipart body ends without the closing boundary (truncated?) in parts["
                        + parts.size() + "]");
            }
            // the line break before a delimiter belongs to the delimiter, not the content
            int contentEnd = trimLineBreak(body, contentStart, next < 0 ? body.length : next);
            parts.add(new Section(headers, Arrays.copyOfRange(body, contentStart, contentEnd)));
            if (next < 0) {
                break; // lenient end: the stream was cut after this part
            }
            pos = next;
        }
        if (parts.isEmpty()) {
            throw undecodable("multipart body has no parts");
        }
        return parts;
    }

    /** Reads header lines up to the blank line into {@code headers}; returns where the content starts. */
    private static int readHeaders(byte[] body, int p, Map<String, String> headers, int index) {
        String last = null;
        for (int lines = 0; ; lines++) {
            int nl = indexOfLineFeed(body, p, body.length);
            if (nl < 0) {
                throw undecodable("headers of parts[" + index + "] are truncated");
            }
            int end = nl > p && body[nl - 1] == '\r' ? nl - 1 : nl;
            if (end == p) {
                return nl + 1;
            }
            if (lines == MAX_HEADER_LINES) {
                throw undecodable("more than " + MAX_HEADER_LINES + " header lines in parts[" + index + "]");
            }
            String line = KvDecoder.text(body, p, end - p, null);
            int colon = line.indexOf(':');
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                headers.merge(last, " " + line.strip(), String::concat); // folded continuation line
            } else if (colon > 0) {
                last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                headers.put(last, line.substring(colon + 1).strip());
            } else {
                throw undecodable("header line " + (lines + 1) + " of parts[" + index + "] is not 'Name: value'");
            }
            p = nl + 1;
        }
    }

    /**
     * A delimiter ("--" + boundary), found only at a line start and when followed by "--", padding, a line break or
     * the end of the body: each '\n' (found eight bytes at a time) is compared with "\n--boundary".
     */
    static final class Delimiter {

        private final byte[] pattern; // "\n--boundary"

        Delimiter(String delimiter) {
            pattern = ("\n" + delimiter).getBytes(StandardCharsets.ISO_8859_1);
        }

        int length() {
            return pattern.length - 1;
        }

        /** Index of the first delimiter at or after {@code from}, or -1. */
        int find(byte[] body, int from) {
            int m = pattern.length;
            if (from == 0 && Arrays.equals(body, 0, Math.min(m - 1, body.length), pattern, 1, m) && ends(body, m - 1)) {
                return 0; // at the very start there is no line break before it
            }
            for (int i = Math.max(from - 1, 0); (i = indexOfLineFeed(body, i, body.length - m + 1)) >= 0; i++) {
                if (Arrays.equals(body, i, i + m, pattern, 0, m) && ends(body, i + m)) {
                    return i + 1;
                }
            }
            return -1;
        }

        private static boolean ends(byte[] body, int after) {
            if (after == body.length) {
                return true;
            }
            byte b = body[after];
            return b == '\r' || b == '\n' || b == ' ' || b == '\t'
                    || (b == '-' && after + 1 < body.length && body[after + 1] == '-');
        }
    }

    private static int skipLineBreak(byte[] body, int p) {
        if (body[p] == '\r' && p + 1 < body.length && body[p + 1] == '\n') {
            return p + 2;
        }
        if (body[p] == '\n') {
            return p + 1;
        }
        throw undecodable("multipart boundary at byte " + p + " is not followed by a line break");
    }

    /** End of content before a CRLF or LF that ends it (not before {@code start}). */
    private static int trimLineBreak(byte[] body, int start, int end) {
        if (end - 1 >= start && body[end - 1] == '\n') {
            end--;
            if (end - 1 >= start && body[end - 1] == '\r') {
                end--;
            }
        }
        return end;
    }

    private static boolean isBlankTail(byte[] body, int p) {
        for (int i = p; i < body.length; i++) {
            if (body[i] != '\r' && body[i] != '\n' && body[i] != ' ' && body[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The first '\n' in {@code [from, to)}, or -1. Eight bytes per step (SWAR: a '\n' byte XORs to zero, and the
     * lowest zero byte sets the lowest flagged high bit), since bodies carry hundreds of KB of JPEG; measured 3-4
     * times faster than a byte loop or Boyer-Moore-Horspool on pictures, and as fast as the byte loop on text.
     */
    static int indexOfLineFeed(byte[] b, int from, int to) {
        int i = from;
        for (; i <= to - 8; i += 8) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long zero = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static RejectedException undecodable(String detail) {
        return new RejectedException("undecodable", detail);
    }
}
