package uk.anprhub.cli;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import picocli.CommandLine.Command;

import java.io.Console;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.concurrent.Callable;

@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Read a password (from the terminal, or one line on stdin) and print its bcrypt hash,",
                "for an operator account in anpr.users (see README 'First operator account')."})
final class HashPasswordCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Console console = System.console();
        String password = console != null ? new String(console.readPassword("Password: "))
                : new BufferedReader(new InputStreamReader(System.in)).readLine();
        if (password == null || password.length() < 12) {
            System.err.println("Refused: use at least 12 characters.");
            return 2;
        }
        PrintStream out = System.out;
        // stdout holds only the hash (scripts capture it): notices libraries print while loading (spring-jcl's
        // "Standard Commons Logging discovery in action...") go to stderr
        System.setOut(System.err);
        String hash;
        try {
            hash = new BCryptPasswordEncoder().encode(password);
        } finally {
            System.setOut(out);
        }
        out.println(hash);
        return 0;
    }
}
