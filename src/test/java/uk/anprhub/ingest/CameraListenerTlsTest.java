package uk.anprhub.ingest;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import uk.anprhub.core.StartupProblem;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plain-HTTP camera listener never takes cameras off an HTTPS ops port without anyone deciding so. */
class CameraListenerTlsTest {

    private static final CameraListenerProperties ON = new CameraListenerProperties(8081, null, 64, true, false, 4096);
    private static final CameraListenerProperties OFF = new CameraListenerProperties(0, null, 64, true, false, 4096);

    @Test
    void theListenerWithAnHttpsOpsPortStopsTheStartWithWhatToDo() {
        for (String key : new String[]{"server.ssl.bundle", "server.ssl.key-store", "server.ssl.certificate"}) {
            MockEnvironment env = new MockEnvironment().withProperty(key, "x");
            assertThatThrownBy(() -> CameraListenerTls.check(ON, env)).as(key).isInstanceOf(StartupProblem.class)
                    .hasMessageContaining("plain HTTP").hasMessageContaining("anpr.http.camera-listener.port");
        }
        assertThatThrownBy(() -> CameraListenerTls.check(ON, new MockEnvironment().withProperty("server.ssl.enabled", "true")))
                .isInstanceOf(StartupProblem.class);
    }

    @Test
    void aPlainOpsPortOrNoListenerIsFine() {
        assertThatCode(() -> CameraListenerTls.check(ON, new MockEnvironment())).doesNotThrowAnyException();
        assertThatCode(() -> CameraListenerTls.check(ON, new MockEnvironment().withProperty("server.ssl.key-store", "k")
                .withProperty("server.ssl.enabled", "false"))).doesNotThrowAnyException();
        assertThatCode(() -> CameraListenerTls.check(OFF, new MockEnvironment().withProperty("server.ssl.bundle", "b")))
                .doesNotThrowAnyException();
    }
}
