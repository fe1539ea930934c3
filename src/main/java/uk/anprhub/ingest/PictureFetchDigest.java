package uk.anprhub.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP Digest access authentication (RFC 7616, the scheme cameras default to) for one picture request: the
 * {@code Authorization} header that answers a server's {@code WWW-Authenticate: Digest ...} challenge. MD5, MD5-sess
 * and SHA-256; {@code qop=auth} (or none, RFC 2069). The password never leaves this class except hashed.
 */
final class PictureFetchDigest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PictureFetchDigest() {
    }

    /**
     * @param challenges the {@code WWW-Authenticate} values of the 401
     * @param target     the request target (raw path and query) as sent
     * @return the header value, or null when no challenge is a Digest one this class can answer
     */
    static String authorization(Iterable<String> challenges, String method, String target, String user, String password) {
        return authorization(challenges, method, target, user, password, HexFormat.of().formatHex(randomBytes()));
    }

    /** @param cnonce the client nonce (random in use; fixed by the test of RFC 7616's example) */
    static String authorization(Iterable<String> challenges, String method, String target, String user, String password,
                                String cnonce) {
        for (String challenge : challenges) {
            if (!challenge.regionMatches(true, 0, "Digest ", 0, 7)) {
                continue;
            }
            Map<String, String> p = params(challenge.substring(7));
            String algorithm = p.getOrDefault("algorithm", "MD5");
            String hash = switch (algorithm.toUpperCase(Locale.ROOT)) {
                case "MD5", "MD5-SESS" -> "MD5";
                case "SHA-256", "SHA-256-SESS" -> "SHA-256";
                default -> null;
            };
            String realm = p.get("realm");
            String nonce = p.get("nonce");
            if (hash == null || realm == null || nonce == null) {
                continue;
            }
            String qop = p.get("qop");
            boolean auth = qop != null && java.util.Arrays.stream(qop.split(",")).map(String::trim).anyMatch("auth"::equalsIgnoreCase);
            if (qop != null && !auth) {
                continue; // auth-int only: not for a GET we would have to hash the (empty) body of; rare in cameras
            }
            String nc = "00000001";
            String ha1 = h(hash, user + ":" + realm + ":" + password);
            if (algorithm.toUpperCase(Locale.ROOT).endsWith("-SESS")) {
                ha1 = h(hash, ha1 + ":" + nonce + ":" + cnonce);
            }
            String ha2 = h(hash, method + ":" + target);
            String response = auth ? h(hash, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                    : h(hash, ha1 + ":" + nonce + ":" + ha2);
            StringBuilder out = new StringBuilder("Digest username=\"").append(quote(user)).append("\", realm=\"")
                    .append(quote(realm)).append("\", nonce=\"").append(quote(nonce)).append("\", uri=\"")
                    .append(quote(target)).append("\", algorithm=").append(algorithm).append(", response=\"")
                    .append(response).append('"');
            if (auth) {
                out.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"');
            }
            if (p.containsKey("opaque")) {
                out.append(", opaque=\"").append(quote(p.get("opaque"))).append('"');
            }
            return out.toString();
        }
        return null;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    /** {@code name=value} and {@code name="quoted, value"} pairs, comma-separated; names lower-cased. */
    static Map<String, String> params(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = s.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    v.append(s.charAt(i++));
                }
                i++;
            } else {
                while (i < n && s.charAt(i) != ',') {
                    v.append(s.charAt(i++));
                }
            }
            out.put(name, v.toString().trim());
        }
        return out;
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String h(String algorithm, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
