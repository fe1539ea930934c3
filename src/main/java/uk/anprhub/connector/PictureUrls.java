package uk.anprhub.connector;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A connector's {@code pictures.url} template, e.g. {@code http://{camera}/doc/ui/images/plate/{ref}.jpg}: the URL of
 * a picture a camera keeps and names only by a reference. {@code {camera}} is an address the hub trusts (the camera's
 * registry {@code device.ip}, else the address the read came from), never a value of the payload; {@code {ref}} is
 * the mapping's {@code {"ref": ...}}, percent-encoded so that it can only ever be path or query text on that host
 * (no {@code ?}, {@code #}, {@code @}, {@code %}, {@code \}, and no {@code .}/{@code ..} segment survives as such).
 * So the SSRF guard holds by construction: the payload chooses what to ask the camera for, never whom to ask.
 */
public final class PictureUrls {

    /** Scheme, {@code {camera}}, an optional port, then a path holding {@code {ref}} exactly once. */
    private static final Pattern TEMPLATE = Pattern.compile(
            "https?://\\{camera}(:[1-9][0-9]{0,4})?/[^\\s{}#\\\\]*\\{ref}[^\\s{}#\\\\]*");

    private PictureUrls() {
    }

    /** Null when {@code template} is a usable template, else why not (the connector is refused at load). */
    public static String checkTemplate(String template) {
        if (!TEMPLATE.matcher(template).matches()) {
            return "'" + template + "' is not http(s)://{camera}[:port]/path with {ref} once in its path or query"
                    + " (no other braces, blanks, '#' or '\\')";
        }
        return null;
    }

    /**
     * The URL of {@code ref} on the camera at {@code cameraAddress} (an IP literal or a name; IPv6 gets brackets),
     * or null when there is no address or no ref.
     */
    public static String resolve(String template, String cameraAddress, String ref) {
        if (template == null || cameraAddress == null || cameraAddress.isBlank() || ref == null || ref.isEmpty()) {
            return null;
        }
        String host = cameraAddress.contains(":") && !cameraAddress.startsWith("[") ? "[" + cameraAddress + "]" : cameraAddress;
        return template.replace("{camera}", host).replace("{ref}", encode(ref));
    }

    /**
     * Every byte except unreserved characters and {@code /} as {@code %XX}; a {@code .} or {@code ..} segment has
     * its dots encoded too, so a camera or proxy that resolves dot segments cannot be walked up the path.
     */
    static String encode(String ref) {
        StringBuilder out = new StringBuilder(ref.length() + 16);
        String[] segments = ref.split("/", -1);
        for (int s = 0; s < segments.length; s++) {
            if (s > 0) {
                out.append('/');
            }
            String seg = segments[s];
            boolean dots = seg.equals(".") || seg.equals("..");
            for (byte b : seg.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_' || c == '~' || (c == '.' && !dots);
                if (plain) {
                    out.append((char) c);
                } else {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
        }
        return out.toString();
    }
}
