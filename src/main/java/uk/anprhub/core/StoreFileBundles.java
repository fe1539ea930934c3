package uk.anprhub.core;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Spring Boot {@link SslBundle} from the older per-feature key-store/trust-store keys (delivery's
 * {@code http.key-store}, {@code anpr.mqtt.tls.*}), so every TLS context is built the one way a named
 * {@code spring.ssl.bundle.*} is, and those keys keep working.
 */
public final class StoreFileBundles {

    private StoreFileBundles() {
    }

    /**
     * A key or trust store file.
     *
     * @param key      its configuration key, for the error when it cannot be read
     * @param password also the key's password, for a key store
     */
    public record StoreFile(String key, Path file, String password, String type) {
    }

    /**
     * @param keyStore   the client certificate and key, or null
     * @param trustStore trust anchors, or null for the JDK's
     * @throws IllegalArgumentException naming the key of a file that cannot be read (at once, not at the handshake)
     */
    public static SslBundle bundle(StoreFile keyStore, StoreFile trustStore) {
        SslBundle bundle = SslBundle.of(new JksSslStoreBundle(details(keyStore), details(trustStore)),
                SslBundleKey.of(keyStore == null ? null : keyStore.password()));
        try {
            bundle.getManagers().getKeyManagers(); // reads the files now: a configuration error shows at start-up
            bundle.getManagers().getTrustManagers();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + (keyStore == null ? trustStore.key()
                    : trustStore == null ? keyStore.key() : keyStore.key() + " / " + trustStore.key()) + ": "
                    + rootMessage(e), e);
        }
        return bundle;
    }

    private static JksSslStoreDetails details(StoreFile store) {
        if (store == null) {
            return null;
        }
        if (!Files.isReadable(store.file())) {
            throw new IllegalArgumentException(store.key() + " is not a readable file: " + store.file());
        }
        return new JksSslStoreDetails(store.type(), null, store.file().toUri().toString(), store.password());
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
