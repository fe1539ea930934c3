package uk.anprhub.core;

/**
 * A reason the hub cannot start that ops can act on: printed as one line (what, where, what to do) by
 * {@code cli.StartupFailureReporter}, without a stack trace.
 */
public final class StartupProblem extends RuntimeException {

    public StartupProblem(String what, String where, String todo) {
        super(what + " (" + where + ") — " + todo, null, false, false);
    }
}
