package uk.anprhub.support;

import java.util.List;

/**
 * JVM flags for the hub processes the tests start (the built jar, {@code bin/anpr-hub}, the demo and its children).
 * A start is mostly class loading and one-off code, where the C2 compiler only costs CPU: with C1 alone a start of
 * {@code run --demo} took 16-19 s of CPU instead of 31-38 s on a shared 2-core machine (session 10), and the
 * process-level tests start such a hub more than a dozen times. Heap, GC and everything the tests assert are unchanged;
 * production starts keep the JVM's defaults.
 */
public final class ChildJvm {

    /**
     * C1 only: most of a start's CPU is C2 compiling code that runs a few times. {@code -DargLine=-Danpr.it.child-jvm-flags=}
     * (empty) runs the children with the JVM's defaults, to compare.
     */
    public static final List<String> FLAGS = List.of(System.getProperty("anpr.it.child-jvm-flags", "-XX:TieredStopAtLevel=1")
            .trim().split("\\s+")).stream().filter(f -> !f.isEmpty()).toList();

    private ChildJvm() {
    }

    /** {@link #FLAGS} as one string, for {@code ANPR_JAVA_OPTS} or {@code JAVA_TOOL_OPTIONS}. */
    public static String flags() {
        return String.join(" ", FLAGS);
    }
}
