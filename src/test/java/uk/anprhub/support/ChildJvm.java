package uk.anprhub.support;

import java.util.List;

/**
 * JVM flags for hub JVMs the tests start only to see them start (and fail, or stop), several at once: C1 alone. A
 * start is mostly class loading and one-off code, where C2 costs CPU: 16-19 s of CPU per start of {@code run --demo}
 * instead of 24-38 s, and three failing starts at once (HubProcessIT) took 23.6 s instead of 43.7 s on a shared 2-core
 * machine (session 10). A hub that then takes load keeps the JVM's defaults ({@link HubProcess}): C2 pays for itself
 * there (KillNineIT 41.7 s with the defaults, 45.5 s with C1 alone), and a lone start with a core to spare was no faster
 * with C1. Heap, GC and everything the tests assert are unchanged; production starts keep the JVM's defaults.
 */
public final class ChildJvm {

    /** {@code -DargLine=-Danpr.it.child-jvm-flags=} (empty) runs these JVMs with the defaults too, to compare. */
    public static final List<String> FLAGS = List.of(System.getProperty("anpr.it.child-jvm-flags", "-XX:TieredStopAtLevel=1")
            .trim().split("\\s+")).stream().filter(f -> !f.isEmpty()).toList();

    private ChildJvm() {
    }

    /** {@link #FLAGS} as one string, for {@code ANPR_JAVA_OPTS} or {@code JAVA_TOOL_OPTIONS}. */
    public static String flags() {
        return String.join(" ", FLAGS);
    }
}
