package uk.anprhub.transport.spine;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpineModeTest {

    static StandardEnvironment env(Map<String, Object> given) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("given", given));
        new SpineMode().postProcessEnvironment(env, null);
        return env;
    }

    @Test
    void offByDefaultTheSpineRouteStaysStoppedEvenWithKafkaFeedsOn() {
        var env = env(Map.of("anpr.kafka.enabled", "true"));
        assertThat(env.getProperty("anpr.kafka.spine.enabled")).isEqualTo("false");
        assertThat(env.getProperty("anpr.delivery.enabled")).isNull();
        assertThat(env.getProperty("anpr.kafka.spine.topic")).isEqualTo("anpr.spine.reads");
    }

    @Test
    void anEdgeNeverConsumesItsOwnSpineAndDeliversNothing() {
        var env = env(Map.of("anpr.spine.mode", "edge", "anpr.kafka.enabled", "true", "anpr.kafka.spine.enabled", "true",
                "anpr.delivery.enabled", "true"));
        assertThat(env.getProperty("anpr.kafka.spine.enabled")).isEqualTo("false");
        assertThat(env.getProperty("anpr.delivery.enabled")).isEqualTo("false");
    }

    @Test
    void aCentralHubConsumesTheSpineTopicOfItsSettingsUnlessTheRouteKeysSaySo() {
        var env = env(Map.of("anpr.spine.mode", "Central", "anpr.spine.topic", "t1", "anpr.spine.brokers", "k:9092",
                "anpr.kafka.spine.group-id", "own"));
        assertThat(env.getProperty("anpr.kafka.spine.enabled")).isEqualTo("true");
        assertThat(env.getProperty("anpr.kafka.spine.topic")).isEqualTo("t1");
        assertThat(env.getProperty("anpr.kafka.spine.brokers")).isEqualTo("k:9092");
        assertThat(env.getProperty("anpr.kafka.spine.group-id")).isEqualTo("own");
        assertThat(env.getProperty("anpr.delivery.enabled")).isNull();
    }
}
