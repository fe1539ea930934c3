package uk.anprhub.support;

import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts {@link HubJar}'s one-off preparation (unpacking the jar, the class archive's training start: ~27 s on a quiet
 * 2-core machine) in the background as soon as failsafe's run of the whole suite begins, so the in-JVM tests that run
 * first overlap it instead of the first hub test waiting it out. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 *
 * <p>Only in failsafe's main JVMs ({@code anpr.it.fork} is set there) and only for a plan of at least
 * {@value #WHOLE_SUITE_CLASSES} classes: a narrow run ({@code -Dit.test=SomeIT}) of tests that start no hub must not
 * pay for a training start after each rebuild of the jar. (With {@code -Dit.forks=2} failsafe hands each JVM one class
 * at a time, so there is no warm-up: the first hub test prepares, as before.)
 */
public final class HubJarWarmUp implements TestExecutionListener {

    static final int WHOLE_SUITE_CLASSES = 20;
    /** {@code -DargLine=-Danpr.it.warm-up-classes=1} tries it on a narrow run. */
    private static final int THRESHOLD = Integer.getInteger("anpr.it.warm-up-classes", WHOLE_SUITE_CLASSES);

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        if (System.getProperty("anpr.it.fork") == null) {
            return;
        }
        long classes = plan.getRoots().stream().flatMap(root -> plan.getDescendants(root).stream())
                .filter(id -> id.getSource().filter(ClassSource.class::isInstance).isPresent()).count();
        if (classes >= THRESHOLD) {
            System.out.println("HubJarWarmUp: " + classes + " test classes: preparing the hub jar in the background");
            HubJar.prepareInBackground();
        }
    }
}
