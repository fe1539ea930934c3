package uk.anprhub.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Command-line front of the replay API of a running hub (audited under your account).",
                "  --dead-letters: re-queue the target's dead letters matching --from/--to (capture time), --camera, --reason",
                "  otherwise:      re-send every read captured in [--from, --to) (of --camera) to the target",
                "Password: $ANPR_PASSWORD, else --password-file, else asked for (or one line on stdin).",
                "Prints the API's JSON answer.",
                "Exit 0: done; 2: refused by the hub (message on stderr); 1: hub unreachable."})
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--target", defaultValue = "nas", description = "delivery target (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--dead-letters", description = "re-queue dead letters instead of a capture-time range")
    boolean deadLetters;

    @Option(names = "--from", description = "captured at or after (ISO-8601, e.g. 2026-03-01T00:00:00Z)")
    Instant from;

    @Option(names = "--to", description = "captured before (ISO-8601)")
    Instant to;

    @Option(names = "--camera", description = "only this camera id")
    String camera;

    @Option(names = "--reason", description = "dead letters whose reason starts with this")
    String reason;

    @Option(names = "--why", required = true, description = "justification, kept in the audit log")
    String why;

    @Option(names = "--hub", description = "hub base URL (default http://localhost:$SERVER_PORT, port 8080)")
    String hub;

    @Option(names = "--user", defaultValue = "${env:ANPR_USER:-ops}", description = "operator account (default $ANPR_USER or ops)")
    String user;

    @Option(names = "--password-file", description = "file whose first line is the password")
    java.nio.file.Path passwordFile;

    @Override
    public Integer call() throws Exception {
        if (!deadLetters && (from == null || to == null)) {
            System.err.println("replay: a range replay needs --from and --to (or use --dead-letters)");
            return 2;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("target", target);
        params.put("from", from);
        params.put("to", to);
        params.put("camera", camera);
        if (deadLetters) {
            params.put("reason", reason);
        }
        params.put("why", why);
        String query = params.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue().toString(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String base = hub != null ? hub : "http://localhost:" + System.getenv().getOrDefault("SERVER_PORT", "8080");
        URI uri = URI.create(base.replaceAll("/+$", "") + "/api/v1/delivery/replay/" + (deadLetters ? "dead-letters" : "range") + "?" + query);
        String basic = Base64.getEncoder().encodeToString((user + ":" + password()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Basic " + basic).header("X-Anpr-Client", "anpr-hub-replay").timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            System.err.println("replay: cannot reach the hub at " + base + ": " + e.getMessage());
            return 1;
        }
        if (r.statusCode() != 200) {
            System.err.println("replay: refused, HTTP " + r.statusCode() + (r.body().isBlank() ? "" : ": " + r.body()));
            return 2;
        }
        System.out.println(r.body());
        return 0;
    }

    private String password() throws java.io.IOException {
        String env = System.getenv("ANPR_PASSWORD");
        if (env != null) {
            return env;
        }
        if (passwordFile != null) {
            return java.nio.file.Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
        }
        Console console = System.console();
        if (console != null) {
            return new String(console.readPassword("Password: "));
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? "" : line;
    }
}
