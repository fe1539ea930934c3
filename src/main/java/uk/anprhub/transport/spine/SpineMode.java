package uk.anprhub.transport.spine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns {@code anpr.spine.mode} into the keys of the features it switches, before any bean reads them:
 * <ul>
 * <li>the spine consumer route (routes/kafka-spine.camel.yaml) runs on a central hub and nowhere else — an edge that
 * also has Kafka camera feeds must never consume its own spine (it would publish the reads again);</li>
 * <li>its topic, brokers and group come from {@code anpr.spine.*} unless {@code anpr.kafka.spine.*} are set;</li>
 * <li>an edge hub stores no reads, so it delivers none: {@code anpr.delivery.enabled=false} there.</li>
 * </ul>
 */
public final class SpineMode implements EnvironmentPostProcessor {

    static final String SOURCE = "anpr-spine-mode";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String mode = env.getProperty("anpr.spine.mode", "off").trim().toLowerCase(Locale.ROOT);
        Map<String, Object> forced = new LinkedHashMap<>();
        forced.put("anpr.kafka.spine.enabled", mode.equals("central"));
        if (mode.equals("edge")) {
            forced.put("anpr.delivery.enabled", false);
        }
        env.getPropertySources().addFirst(new MapPropertySource(SOURCE, forced));
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("anpr.kafka.spine.topic", env.getProperty("anpr.spine.topic", "anpr.spine.reads"));
        defaults.put("anpr.kafka.spine.brokers", env.getProperty("anpr.spine.brokers", "localhost:9092"));
        defaults.put("anpr.kafka.spine.group-id", env.getProperty("anpr.spine.group-id", "anpr-hub-spine"));
        env.getPropertySources().addLast(new MapPropertySource(SOURCE + "-defaults", defaults));
    }
}
