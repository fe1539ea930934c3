package uk.anprhub.core;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslBundle;
import uk.anprhub.core.StoreFileBundles.StoreFile;

import javax.net.ssl.X509KeyManager;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreFileBundlesTest {

    @TempDir
    static Path dir;
    static Path store;

    @BeforeAll
    static void keyStore() throws Exception {
        store = dir.resolve("client.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1", "-genkeypair", "-alias", "client", "-dname", "CN=anpr-hub", "-keyalg", "EC",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "secret1", "-keypass", "secret1")
                .inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void keyAndTrustStoresBecomeABundle() {
        SslBundle bundle = StoreFileBundles.bundle(new StoreFile("x.key-store", store, "secret1", "PKCS12"),
                new StoreFile("x.trust-store", store, "secret1", "PKCS12"));
        X509KeyManager keys = (X509KeyManager) Arrays.stream(bundle.getManagers().getKeyManagers())
                .filter(X509KeyManager.class::isInstance).findFirst().orElseThrow();
        assertThat(keys.getPrivateKey("client")).isNotNull(); // the store password is also the key's
        assertThat(bundle.getManagers().getTrustManagers()).isNotEmpty();
        assertThat(bundle.createSslContext().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void trustOnlyHasNoKeyStore() {
        SslBundle bundle = StoreFileBundles.bundle(null, new StoreFile("x.trust-store", store, "secret1", "PKCS12"));
        assertThat(bundle.getStores().getKeyStore()).isNull();
    }

    @Test
    void unreadableStoresNameTheirKey() {
        assertThatThrownBy(() -> StoreFileBundles.bundle(new StoreFile("x.key-store", dir.resolve("missing.p12"), "s", "PKCS12"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.key-store is not a readable file");
        assertThatThrownBy(() -> StoreFileBundles.bundle(null, new StoreFile("x.trust-store", store, "wrong", "PKCS12")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot read x.trust-store: ");
    }
}
