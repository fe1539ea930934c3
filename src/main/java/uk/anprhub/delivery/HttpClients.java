package uk.anprhub.delivery;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The JDK HTTP client of a target: HTTP/1.1, optional proxy, optional client certificate (mutual TLS). */
final class HttpClients {

    private HttpClients() {
    }

    static HttpClient create(DeliveryProperties.Http http) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(http.connectTimeout());
        if (http.proxy() != null && !http.proxy().isBlank()) {
            int colon = http.proxy().lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("proxy must be host:port, got " + http.proxy());
            }
            b.proxy(ProxySelector.of(new InetSocketAddress(http.proxy().substring(0, colon),
                    Integer.parseInt(http.proxy().substring(colon + 1)))));
        }
        if (http.keyStore() != null || http.trustStore() != null) {
            b.sslContext(sslContext(http));
        }
        return b.build();
    }

    private static SSLContext sslContext(DeliveryProperties.Http http) {
        try {
            KeyManagerFactory kmf = null;
            if (http.keyStore() != null) {
                char[] pw = chars(http.keyStorePassword());
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(http.keyStore(), http.keyStoreType(), pw), pw);
            }
            TrustManagerFactory tmf = null;
            if (http.trustStore() != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(http.trustStore(), http.trustStoreType(), chars(http.trustStorePassword())));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for delivery: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(java.nio.file.Path file, String type, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    private static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> r) {
        String v = r.headers().firstValue("Retry-After").orElse(null);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(java.time.Instant.now(), ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static String snippet(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 2000 ? body : body.substring(0, 2000) + "…";
    }
}
