package uk.anprhub.cli;

import uk.anprhub.audit.AuditChain;

import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;
import uk.anprhub.store.StoreAccess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code bin/anpr-hub audit verify}: the audit log's hash chain, checked from outside the hub. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit log (docs/access.md).",
        subcommands = AuditCommand.Verify.class)
public final class AuditCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Walk the audit log's hash chain and recompute every row's hash.",
                    "Database: the same settings as run (ANPR_DB_URL/ANPR_DB_USER/ANPR_DB_PASSWORD, else the embedded",
                    "store under ANPR_DATA_DIR: the running hub's server, or one started for the check; ANPR_CONFIG",
                    "and --anpr.x=y arguments are read as by run).",
                    "Exit 0: intact, N rows (prints the newest row's hash: keep it to detect a cut-off tail later);",
                    "1: broken, naming the first row that does not fit; 2: the database could not be read."})
    static final class Verify implements Callable<Integer> {

        @Unmatched
        List<String> springArgs = new ArrayList<>();

        @Override
        public Integer call() {
            StandardEnvironment env = environment(springArgs);
            Binder binder = Binder.get(env);
            // the same records as run binds, so the defaults are the hub's
            uk.anprhub.store.DbLimits db = binder.bindOrCreate("anpr.db", uk.anprhub.store.DbLimits.class);
            AuditChain.Result r;
            try {
                if (db.external()) {
                    Properties p = new Properties();
                    if (db.user() != null) {
                        p.setProperty("user", db.user());
                    }
                    if (db.password() != null) {
                        p.setProperty("password", db.password());
                    }
                    try (Connection c = DriverManager.getConnection(db.url(), p)) {
                        r = AuditChain.verify(c);
                    }
                } else {
                    Path dataDir = binder.bindOrCreate("anpr", uk.anprhub.core.HubProperties.class).dataDir();
                    try (StoreAccess store = StoreAccess.open(dataDir)) {
                        r = AuditChain.verify(store.connection());
                    }
                }
            } catch (Exception e) {
                String state = e instanceof java.sql.SQLException s ? " (SQLState " + s.getSQLState() + ")" : "";
                System.err.println("audit verify: cannot read the audit log: " + e.getClass().getSimpleName() + state
                        + (e instanceof java.io.IOException ? ": " + e.getMessage() : ""));
                return 2;
            }
            if (r.intact()) {
                System.out.println("intact, " + r.rows() + " rows" + (r.rows() == 0 ? "" : " (ids " + r.firstId() + ".."
                        + r.lastId() + "; newest hash " + r.lastHash() + ")"));
                return 0;
            }
            System.out.println("broken at row " + r.brokenAt() + ": " + r.problem() + " (" + r.rows() + " rows before it intact)");
            return 1;
        }
    }

    /** application.yaml, ANPR_CONFIG, the environment and {@code --key=value} arguments, resolved as for {@code run}. */
    static StandardEnvironment environment(List<String> args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args.toArray(String[]::new)));
        String config = System.getenv("ANPR_CONFIG");
        if (config != null && !config.isBlank() && Files.isRegularFile(Path.of(config))) {
            env.getPropertySources().addLast(new MapPropertySource("anpr-config",
                    Map.of("spring.config.additional-location", "file:" + Path.of(config).toAbsolutePath())));
        }
        ConfigDataEnvironmentPostProcessor.applyTo(env);
        return env;
    }
}
