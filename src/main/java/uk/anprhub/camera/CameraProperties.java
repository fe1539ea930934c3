package uk.anprhub.camera;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The camera registry ({@code anpr.cameras.*}, docs/camera-registry.md).
 *
 * @param location    a folder of *.yaml camera files, or one file; unset: the hub refuses to start, except in demo mode
 *                    (then the demo registry src/test/resources/cameras)
 * @param reloadCheck how often the files are checked for edits (read by the watcher's {@code @Scheduled} placeholder)
 */
@ConfigurationProperties("anpr.cameras")
public record CameraProperties(Path location, @DefaultValue("5s") Duration reloadCheck) {
}
