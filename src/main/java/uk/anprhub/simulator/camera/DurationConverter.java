package uk.anprhub.simulator.camera;

import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/** Command-line durations as people write them: {@code 30s}, {@code 5m}, {@code 1h}, or ISO {@code PT30S}. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return DurationStyle.detectAndParse(value);
    }
}
