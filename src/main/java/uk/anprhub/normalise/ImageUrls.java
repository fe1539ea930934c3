package uk.anprhub.normalise;

import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A camera's picture URL as the hub keeps it: without the credentials some cameras put in it (user info
 * {@code user:pass@}, query parameters such as {@code pwd=}), because the URL is stored with the read, shown to
 * investigators and sent on to NAS. A camera that needs a login gets it from the connector's {@code pictures.login}
 * (Digest, from the environment), never from the payload.
 */
final class ImageUrls {

    private static final Set<String> SECRET_PARAMETERS = Set.of("user", "username", "usr", "login", "pass", "passwd",
            "password", "pwd", "pw", "auth", "authorization", "token", "access_token", "key", "apikey", "api_key",
            "secret", "sig", "signature", "session", "sessionid", "sid");

    static String withoutCredentials(String url) {
        int scheme = url.indexOf("://");
        int authorityStart = scheme < 0 ? 0 : scheme + 3;
        int authorityEnd = indexOfAny(url, authorityStart, "/?#");
        String authority = url.substring(authorityStart, authorityEnd);
        int at = authority.lastIndexOf('@');
        StringBuilder b = new StringBuilder(url.length()).append(url, 0, authorityStart)
                .append(at < 0 ? authority : authority.substring(at + 1));
        String rest = url.substring(authorityEnd);
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        int query = rest.indexOf('?');
        if (query < 0) {
            return b.append(rest).toString();
        }
        b.append(rest, 0, query);
        StringJoiner kept = new StringJoiner("&", "?", "").setEmptyValue("");
        for (String parameter : rest.substring(query + 1).split("&")) {
            int eq = parameter.indexOf('=');
            String name = (eq < 0 ? parameter : parameter.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (!parameter.isEmpty() && !SECRET_PARAMETERS.contains(name)) {
                kept.add(parameter);
            }
        }
        return b.append(kept).toString();
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    private ImageUrls() {
    }
}
