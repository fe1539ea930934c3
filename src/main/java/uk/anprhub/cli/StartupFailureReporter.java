package uk.anprhub.cli;

import uk.anprhub.core.StartupProblem;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringBootExceptionReporter;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import java.sql.SQLException;

/**
 * Start-up failures ops can fix from the message alone, printed once as one line on stderr — what, where, what to do —
 * instead of Spring's page of nested stack traces: a broken camera registry, an unreachable or refusing database, a
 * data directory in use by another hub, a port in use. Anything else is not recognised here: Spring Boot then logs
 * its stack trace (once; {@link RunCommand} does not print it again). Registered in META-INF/spring.factories.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class StartupFailureReporter implements SpringBootExceptionReporter {

    /** Spring Boot makes reporters through their constructors; the context is not needed. */
    public StartupFailureReporter() {
    }

    @Override
    public boolean reportException(Throwable failure) {
        String line = explain(failure);
        if (line == null) {
            return false;
        }
        System.err.println("anpr-hub: cannot start: " + line);
        System.err.flush();
        return true;
    }

    /** The one-line reason, or null when the failure is not one of the known kinds. */
    static String explain(Throwable failure) {
        String bean = null;
        Throwable cause = null; // the first non-Spring exception under the innermost failed bean: the one that says where
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (cause == null && bean != null && !t.getClass().getName().startsWith("org.springframework.")) {
                cause = t;
            }
            if (t instanceof StartupProblem p) {
                return p.getMessage();
            }
            if (t instanceof PortInUseException p) {
                return "port " + p.getPort() + " is already in use (SERVER_PORT) — another hub or program listens there: stop it, or give this hub another SERVER_PORT";
            }
            if (t instanceof BeanCreationException b && b.getBeanName() != null) {
                bean = b.getBeanName(); // the innermost bean that failed
                cause = null;
            }
        }
        Throwable root = root(failure);
        String detail = firstLine((cause != null ? cause : root).getMessage());
        if ("cameraRegistry".equals(bean)) {
            return "the camera registry does not load: " + detail + " (anpr.cameras.location) — fix that file, or point anpr.cameras.location at a valid registry, and start again";
        }
        if ("embeddedDatabase".equals(bean)) {
            return "the embedded PostgreSQL does not start: " + detail + " (ANPR_DATA_DIR) — if another hub runs on this data directory, stop it or give this one another ANPR_DATA_DIR; otherwise see " + "$ANPR_DATA_DIR/postgres/ and its log";
        }
        if (root instanceof SQLException sql && bean != null && (bean.equals("dataSource") || bean.equals("flyway") || bean.equals("flywayInitializer"))) {
            return "the database refused the hub: SQLState " + sql.getSQLState() + ": " + detail + " (ANPR_DB_URL) — check ANPR_DB_URL, ANPR_DB_USER and ANPR_DB_PASSWORD";
        }
        return null;
    }

    private static Throwable root(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
