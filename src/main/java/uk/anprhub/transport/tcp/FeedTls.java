package uk.anprhub.transport.tcp;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** The server-side TLS context of a TCP feed, from {@link TcpProperties.Tls}; built once, at start-up. */
final class FeedTls {

    private FeedTls() {
    }

    /** @throws IllegalArgumentException naming the key when a store cannot be read or does not fit */
    static SslContext context(String feed, TcpProperties.Tls tls) {
        String key = "anpr.tcp.feeds." + feed + ".tls";
        try {
            KeyStore keys = load(key + ".keystore", tls.keystore(), tls.keystoreType(), tls.keystorePassword());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            String keyPassword = tls.keyPassword() != null ? tls.keyPassword() : tls.keystorePassword();
            kmf.init(keys, keyPassword == null ? new char[0] : keyPassword.toCharArray());
            SslContextBuilder b = SslContextBuilder.forServer(kmf).protocols(tls.protocols());
            if (tls.clientAuth() != TcpProperties.ClientAuth.NONE) {
                if (tls.truststore() == null) {
                    throw new IllegalArgumentException(key + ".client-auth=" + tls.clientAuth().name().toLowerCase(java.util.Locale.ROOT)
                            + " needs " + key + ".truststore");
                }
                KeyStore trust = load(key + ".truststore", tls.truststore(), tls.truststoreType(), tls.truststorePassword());
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                b.trustManager(tmf).clientAuth(tls.clientAuth() == TcpProperties.ClientAuth.REQUIRE ? ClientAuth.REQUIRE
                        : ClientAuth.OPTIONAL);
            }
            return b.build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String key, Path path, String type, String password)
            throws GeneralSecurityException, IOException {
        if (path == null || !Files.isReadable(path)) {
            throw new IllegalArgumentException(key + " is not a readable file: " + path);
        }
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
