package uk.anprhub.delivery;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import uk.anprhub.core.StoreFileBundles;
import uk.anprhub.core.StoreFileBundles.StoreFile;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The JDK HTTP client of a target: HTTP/1.1, optional proxy (HTTPS through CONNECT), optional client certificate
 * (mutual TLS) and trust anchors, from a Spring Boot SSL bundle: a named one, or one made of the older
 * key-store/trust-store keys.
 */
final class HttpClients {

    private HttpClients() {
    }

    /**
     * A target's HTTP client and, for HTTPS with our own TLS settings, the watch on its client certificate.
     *
     * @param watch null when the JDK's default TLS settings are used
     */
    record Client(HttpClient http, ClientCertificateWatch watch) {

        /**
         * Why a request got no answer, for logs, health and the retry record (never request content):
         * {@code tls: ...} when the TLS handshake failed or the target hung up after asking for a client certificate
         * we did not have (certificate refused or untrusted, protocol mismatch: a configuration problem to show, not
         * an outage to sit out), else {@code connection: ...}.
         */
        String failure(Throwable e) {
            String missing = watch == null ? null : watch.takeMissing();
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof SSLException tls) {
                    return "tls: " + (tls.getMessage() == null ? tls.getClass().getSimpleName() : tls.getMessage())
                            + (missing == null ? "" : "; " + missing);
                }
            }
            String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return missing != null ? "tls: " + missing + " (then " + what + ")" : "connection: " + what;
        }

        /** An HTTP answer came back (whatever its status). */
        void answered() {
            if (watch != null) {
                watch.answered();
            }
        }
    }

    static Client create(DeliveryProperties.Http http, SslBundles bundles) {
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
        SslBundle bundle = bundle(http, bundles);
        if (bundle == null) {
            return new Client(b.build(), null);
        }
        // no key store: the watch says so when a target asks for a client certificate
        ClientCertificateWatch watch = ClientCertificateWatch.of(bundle.getStores().getKeyStore() == null ? null
                : bundle.getManagers().getKeyManagers());
        SSLContext ctx = context(bundle.getProtocol(), watch, bundle.getManagers().getTrustManagers());
        b.sslContext(ctx).sslParameters(parameters(ctx, bundle.getOptions()));
        return new Client(b.build(), watch);
    }

    /** The named bundle, else one made of the key-store/trust-store keys, else null (the JDK's TLS defaults). */
    private static SslBundle bundle(DeliveryProperties.Http http, SslBundles bundles) {
        boolean stores = http.keyStore() != null || http.trustStore() != null;
        if (http.sslBundle() != null && !http.sslBundle().isBlank()) {
            if (stores) {
                throw new IllegalStateException("set either http.ssl-bundle or http.key-store/trust-store, not both");
            }
            try {
                return bundles.getBundle(http.sslBundle());
            } catch (NoSuchSslBundleException e) {
                throw new IllegalStateException("http.ssl-bundle: " + e.getMessage()
                        + " (define it under spring.ssl.bundle.jks." + http.sslBundle() + " or spring.ssl.bundle.pem."
                        + http.sslBundle() + ")", e);
            }
        }
        if (!stores) {
            return null;
        }
        try {
            return StoreFileBundles.bundle(
                    http.keyStore() == null ? null : new StoreFile("http.key-store", http.keyStore(),
                            http.keyStorePassword(), http.keyStoreType()),
                    http.trustStore() == null ? null : new StoreFile("http.trust-store", http.trustStore(),
                            http.trustStorePassword(), http.trustStoreType()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static SSLContext context(String protocol, ClientCertificateWatch watch, TrustManager[] trust) {
        try {
            SSLContext ctx = SSLContext.getInstance(protocol);
            ctx.init(new KeyManager[]{watch}, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for delivery: " + e.getMessage(), e);
        }
    }

    /** The bundle's protocols and ciphers, when it names any (else the JDK's defaults). */
    private static SSLParameters parameters(SSLContext ctx, SslOptions options) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        if (options.getEnabledProtocols() != null) {
            p.setProtocols(options.getEnabledProtocols());
        }
        if (options.getCiphers() != null) {
            p.setCipherSuites(options.getCiphers());
        }
        return p;
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

    /**
     * The time a request with a body of {@code bytes} may take: the base {@code request-timeout} plus the body at
     * the slowest rate allowed ({@code min-bytes-per-second}), so a big batch is not cut off (and re-sent whole) at
     * the timeout meant for a small one.
     */
    static Duration timeout(DeliveryProperties.Http http, long bytes) {
        long rate = http.minBytesPerSecond() == null ? 0 : http.minBytesPerSecond().toBytes();
        return rate <= 0 ? http.requestTimeout() : http.requestTimeout().plusMillis(Math.max(0, bytes) * 1000 / rate);
    }

    static String snippet(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 2000 ? body : body.substring(0, 2000) + "…";
    }
}
