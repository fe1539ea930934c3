package uk.anprhub.transport.mq;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import uk.anprhub.core.StoreFileBundles;
import uk.anprhub.core.StoreFileBundles.StoreFile;

import javax.net.ssl.SSLSocketFactory;
import java.util.function.Supplier;

/** The socket factory of the hub's MQTT broker connection, from {@link MqProperties.Tls}; built at start-up. */
final class MqttTls {

    private MqttTls() {
    }

    /**
     * From the named Spring Boot SSL bundle, else from the key/trust store keys (as a bundle too).
     *
     * @throws IllegalArgumentException naming the key when a store cannot be read, or both ways are set
     */
    static SSLSocketFactory socketFactory(MqProperties.Tls tls, Supplier<SslBundles> bundles) {
        boolean stores = tls.truststore() != null || tls.keystore() != null;
        SslBundle bundle;
        if (tls.sslBundle() != null && !tls.sslBundle().isBlank()) {
            if (stores) {
                throw new IllegalArgumentException("set either anpr.mqtt.tls.ssl-bundle or anpr.mqtt.tls.keystore/truststore, not both");
            }
            bundle = bundles.get().getBundle(tls.sslBundle());
        } else {
            bundle = StoreFileBundles.bundle(
                    tls.keystore() == null ? null : new StoreFile("anpr.mqtt.tls.keystore", tls.keystore(),
                            tls.keystorePassword(), tls.keystoreType()),
                    tls.truststore() == null ? null : new StoreFile("anpr.mqtt.tls.truststore", tls.truststore(),
                            tls.truststorePassword(), tls.truststoreType()));
        }
        return bundle.createSslContext().getSocketFactory();
    }
}
