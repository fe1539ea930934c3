package uk.anprhub.cli;

import uk.anprhub.core.StartupProblem;
import uk.anprhub.store.DbLimits;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Before the hub builds anything on it, waits for an external database ({@code ANPR_DB_URL}) to answer — a hub and
 * its PostgreSQL often start together — retrying for {@code anpr.db.start-timeout}, one log line per attempt (the URL
 * without its password). A URL that is not PostgreSQL's, a refused login or a missing database is not retried: each is
 * a {@link StartupProblem}, one line. The embedded store (no URL) needs no wait.
 */
public final class DatabaseWait implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(DatabaseWait.class);

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        DbLimits s = settings(event.getEnvironment());
        if (s.url() == null || s.url().isBlank()) {
            return;
        }
        waitFor(s);
    }

    /** {@code anpr.db.*} as read before the context exists. */
    static DbLimits settings(Environment env) {
        return Binder.get(env).bindOrCreate("anpr.db", DbLimits.class);
    }

    static void waitFor(DbLimits s) {
        String where = "ANPR_DB_URL=" + masked(s.url());
        org.postgresql.Driver driver = new org.postgresql.Driver();
        if (!driver.acceptsURL(s.url())) {
            throw new StartupProblem("the database URL is not a PostgreSQL JDBC URL", where,
                    "set ANPR_DB_URL to jdbc:postgresql://HOST:5432/DATABASE");
        }
        Properties p = new Properties();
        if (s.user() != null && !s.user().isBlank()) {
            p.setProperty("user", s.user());
        }
        if (s.password() != null && !s.password().isBlank()) {
            p.setProperty("password", s.password());
        }
        p.setProperty("connectTimeout", "5");
        p.setProperty("loginTimeout", "10");
        p.setProperty("socketTimeout", "10");
        long until = System.nanoTime() + s.startTimeout().toNanos();
        Duration pause = s.startRetry();
        for (int attempt = 1; ; attempt++) {
            SQLException failure;
            try (Connection c = driver.connect(s.url(), p)) {
                if (attempt > 1) {
                    log.info("Database {} answers (attempt {})", masked(s.url()), attempt);
                }
                return;
            } catch (SQLException e) {
                failure = e;
            }
            String state = failure.getSQLState() == null ? "" : failure.getSQLState();
            String reason = firstLine(failure.getMessage());
            if (state.startsWith("28")) {
                throw new StartupProblem("the database refused the login of user '" + s.user() + "' (SQLState " + state + ")",
                        where, "check ANPR_DB_USER and ANPR_DB_PASSWORD, and pg_hba.conf on the database server");
            }
            if (state.equals("3D000")) {
                throw new StartupProblem("the database named in the URL does not exist", where,
                        "create it (createdb) or correct ANPR_DB_URL");
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                throw new StartupProblem("the database did not answer within " + s.startTimeout().toSeconds() + " s: " + reason,
                        where, "start PostgreSQL or correct ANPR_DB_URL (host, port); anpr.db.start-timeout sets the wait");
            }
            log.warn("Database {} not reachable yet (attempt {}): {}; retrying for up to {} s more",
                    masked(s.url()), attempt, reason, Duration.ofNanos(left).toSeconds());
            try {
                Thread.sleep(Math.min(pause.toMillis(), Duration.ofNanos(left).toMillis() + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupProblem("interrupted while waiting for the database", where, "start again");
            }
            pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : pause.multipliedBy(2);
        }
    }

    /** The URL as it may be logged: no password parameter, no user-info. */
    static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/@]*@", "//***@");
    }

    private static String firstLine(String s) {
        return s == null ? "no detail" : s.strip().lines().findFirst().orElse("");
    }
}
