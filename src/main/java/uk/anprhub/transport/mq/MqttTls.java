package uk.anprhub.transport.mq;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** The socket factory of the hub's MQTT broker connection, from {@link MqProperties.Tls}; built at start-up. */
final class MqttTls {

    private MqttTls() {
    }

    /** @throws IllegalArgumentException naming the key when a store cannot be read */
    static SSLSocketFactory socketFactory(MqProperties.Tls tls) {
        try {
            TrustManagerFactory tmf = null;
            if (tls.truststore() != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load("anpr.mqtt.tls.truststore", tls.truststore(), tls.truststoreType(), tls.truststorePassword()));
            }
            KeyManagerFactory kmf = null;
            if (tls.keystore() != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                char[] pw = tls.keystorePassword() == null ? new char[0] : tls.keystorePassword().toCharArray();
                kmf.init(load("anpr.mqtt.tls.keystore", tls.keystore(), tls.keystoreType(), tls.keystorePassword()), pw);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("anpr.mqtt.tls: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String key, Path path, String type, String password)
            throws GeneralSecurityException, IOException {
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(key + " is not a readable file: " + path);
        }
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
