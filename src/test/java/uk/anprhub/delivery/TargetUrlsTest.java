package uk.anprhub.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 15 item 3: a target URL that cannot work is refused at start, in one line naming the key. */
class TargetUrlsTest {

    static void create(Map<String, ?> props, String nasUrl) {
        DeliveryFactory.create(DeliveryProperties.bind(props), null, null, null, new SimpleMeterRegistry(), Clock.systemUTC(),
                nasUrl, null, null);
    }

    @Test
    void aSchemeLessTargetUrlIsRefusedAtStartNamingTheKey() {
        assertThatThrownBy(() -> create(Map.of("anpr.delivery.targets.nas.url", "nas.example.police.uk/nas/v1"), "http://localhost:9090/nas/v1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("anpr.delivery.targets.nas.url: 'nas.example.police.uk/nas/v1' is not an http:// or https:// URL")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> create(Map.of("anpr.delivery.targets.nas.url", "ftp://nas.example/v1"), "http://localhost:9090/nas/v1"))
                .hasMessageStartingWith("anpr.delivery.targets.nas.url:");
        assertThatThrownBy(() -> create(Map.of(
                "anpr.delivery.targets.b.type", "bof2", "anpr.delivery.targets.b.enabled", "true",
                "anpr.delivery.targets.b.url", "https:///no-host"), "http://localhost:9090/nas/v1"))
                .hasMessageStartingWith("anpr.delivery.targets.b.url:");
    }

    @Test
    void aSchemeLessAnprNasUrlIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> create(Map.of(), "localhost:9090/nas/v1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("anpr.nas.url (ANPR_NAS_URL): 'localhost:9090/nas/v1' is not an http:// or https:// URL");
    }

    @Test
    void aDisabledTargetIsNotChecked() {
        assertThat(TargetUrls.of(DeliveryProperties.bind(Map.of("anpr.delivery.targets.b.type", "bof2",
                "anpr.delivery.targets.b.url", "nonsense")), "http://localhost:9090/nas/v1")).containsOnlyKeys("nas");
    }

    @Test
    void aShownUrlNeverCarriesCredentialsOrQuery() {
        assertThat(TargetUrls.redact(URI.create("https://user:secret@nas.example:8443/nas/v1?key=abc#x")))
                .isEqualTo("https://nas.example:8443/nas/v1");
        assertThat(TargetUrls.redact(URI.create("user:secret@nas.example/v1?key=abc"))).doesNotContain("secret", "abc");
    }
}
