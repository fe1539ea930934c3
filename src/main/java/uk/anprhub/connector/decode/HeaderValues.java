package uk.anprhub.connector.decode;

import org.springframework.http.ContentDisposition;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Content-Type and Content-Disposition values of a multipart body and its parts, read with Spring's {@link MimeType}
 * and {@link ContentDisposition} (which also decode RFC 5987 {@code filename*} and RFC 2047 names). Both are strict and
 * cameras are not: a value they refuse (a JavaMail boundary such as {@code ----=_Part_1} unquoted, an unknown charset,
 * a parameter without a value) is read by the lenient {@link #params} instead, so such a body still decodes.
 */
final class HeaderValues {

    private HeaderValues() {
    }

    /**
     * @param mediaType lower-case {@code type/subtype}; null when the header is absent or blank
     * @param charset   the charset parameter as sent (unquoted), or null
     * @param boundary  the boundary parameter (unquoted), or null
     */
    record ContentType(String mediaType, String charset, String boundary) {
    }

    /** @param name null when absent or empty ({@code name=""} is no name) */
    record Disposition(String name, String filename) {
    }

    static ContentType contentType(String value) {
        if (value == null || value.isBlank()) {
            return new ContentType(null, null, null);
        }
        try {
            MimeType type = MimeTypeUtils.parseMimeType(value);
            return new ContentType(type.getType() + "/" + type.getSubtype(), unquote(type.getParameter("charset")),
                    unquote(type.getParameter("boundary")));
        } catch (InvalidMimeTypeException e) {
            int semi = value.indexOf(';');
            Map<String, String> params = params(value);
            return new ContentType((semi < 0 ? value : value.substring(0, semi)).strip().toLowerCase(Locale.ROOT),
                    params.get("charset"), params.get("boundary"));
        }
    }

    static Disposition disposition(String value) {
        if (value == null || value.isBlank()) {
            return new Disposition(null, null);
        }
        try {
            ContentDisposition d = ContentDisposition.parse(value);
            return new Disposition(nonEmpty(d.getName()), nonEmpty(d.getFilename()));
        } catch (IllegalArgumentException e) {
            Map<String, String> params = params(value);
            return new Disposition(nonEmpty(params.get("name")), nonEmpty(params.get("filename")));
        }
    }

    private static String nonEmpty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** A quoted parameter value without its quotes and backslash escapes (MimeType keeps both). */
    private static String unquote(String value) {
        if (value == null || value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
            return value;
        }
        return value.substring(1, value.length() - 1).replaceAll("\\\\([\"\\\\])", "$1");
    }

    /**
     * The lenient reader, for values Spring refuses: parameters of a header value such as {@code form-data; name="event"; filename=a.jpg} or
     * {@code multipart/mixed; boundary="x"}: lower-case names, values unquoted (backslash escapes honoured).
     */
    static Map<String, String> params(String value) {
        Map<String, String> params = new LinkedHashMap<>();
        if (value == null) {
            return params;
        }
        int i = value.indexOf(';');
        while (i >= 0 && i < value.length()) {
            int eq = value.indexOf('=', i + 1);
            int semi = value.indexOf(';', i + 1);
            if (eq < 0 || (semi >= 0 && semi < eq)) {
                i = semi; // a parameter without a value
                continue;
            }
            String name = value.substring(i + 1, eq).strip().toLowerCase(Locale.ROOT);
            int p = eq + 1;
            while (p < value.length() && value.charAt(p) == ' ') {
                p++;
            }
            StringBuilder v = new StringBuilder();
            if (p < value.length() && value.charAt(p) == '"') {
                for (p++; p < value.length() && value.charAt(p) != '"'; p++) {
                    char next = p + 1 < value.length() ? value.charAt(p + 1) : 0;
                    if (value.charAt(p) == '\\' && (next == '"' || next == '\\')) {
                        p++; // only \" and \\ are escapes: browsers send Windows paths with bare backslashes
                    }
                    v.append(value.charAt(p));
                }
                semi = value.indexOf(';', p);
            } else {
                v.append(semi < 0 ? value.substring(p) : value.substring(p, semi));
            }
            params.putIfAbsent(name, v.toString().strip());
            i = semi;
        }
        return params;
    }
}
