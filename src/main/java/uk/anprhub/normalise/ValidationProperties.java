package uk.anprhub.normalise;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Rules of the canonical read that are settings ({@code anpr.validation.*}).
 *
 * @param futureSkew capture times further than this in the future are refused
 */
@ConfigurationProperties("anpr.validation")
public record ValidationProperties(@DefaultValue("5m") Duration futureSkew) {
}
