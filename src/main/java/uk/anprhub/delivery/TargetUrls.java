package uk.anprhub.delivery;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** A target URL checked at start (a typo must not look like an outage) and shown without credentials or query. */
public final class TargetUrls {

    private TargetUrls() {
    }

    /**
     * The checked URL of every enabled target (a nas target without its own: {@code ANPR_NAS_URL}); a bof2 target
     * without one is left to its adapter, which names the missing key.
     *
     * @throws IllegalStateException one line naming the key of the first bad URL
     */
    static Map<String, URI> of(DeliveryProperties props, String defaultNasUrl) {
        Map<String, URI> out = new LinkedHashMap<>();
        props.targets().forEach((id, t) -> {
            if (!t.enabledFor(id)) {
                return;
            }
            if (t.url() != null) {
                out.put(id, check("anpr.delivery.targets." + id + ".url", t.url()));
            } else if ("nas".equals(t.typeFor(id))) {
                URI url;
                try {
                    url = URI.create(defaultNasUrl == null ? "" : defaultNasUrl.strip());
                } catch (IllegalArgumentException e) {
                    url = null;
                }
                out.put(id, check("anpr.nas.url (ANPR_NAS_URL)", url));
            }
        });
        return out;
    }

    /**
     * @param key the setting the URL came from, named in the error
     * @throws IllegalStateException one line naming the key, when the URL is not http(s) with a host
     */
    static URI check(String key, URI url) {
        String scheme = url == null ? null : url.getScheme();
        if (url == null || scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || url.getHost() == null || url.getHost().isBlank()) {
            throw new IllegalStateException(key + ": '" + (url == null ? "" : redact(url))
                    + "' is not an http:// or https:// URL with a host (e.g. https://nas.example.police.uk/nas/v1)");
        }
        return url;
    }

    /** scheme://host[:port]/path: never user info, query or fragment (they may hold secrets). */
    public static String redact(URI url) {
        if (url.getHost() == null) {
            String s = url.toString();
            int cut = s.indexOf('?');
            s = cut < 0 ? s : s.substring(0, cut);
            int at = s.lastIndexOf('@');
            return at < 0 ? s : s.substring(at + 1);
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
