package uk.anprhub.core;

import java.nio.file.Path;

/**
 * The hub's installation folder (system property {@code anpr.home}, set by bin/anpr-hub; default: the working
 * directory). connectors/, mappings/, routes/ and the demo registry src/test/resources/cameras/ are found relative to it,
 * so the launcher works from any directory.
 */
public final class Home {

    private Home() {
    }

    public static Path resolve(Path path) {
        return path.isAbsolute() ? path : Path.of(System.getProperty("anpr.home", ".")).resolve(path).normalize();
    }
}
