package uk.anprhub.opsfiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files under ops/ as the tests read them: the PromQL of the dashboard and the alert rules, and the names in it. */
final class OpsFiles {

    static final Path RULES = Path.of("ops", "prometheus", "anpr-hub.rules.yml");
    static final Path RULE_TESTS = Path.of("ops", "prometheus", "anpr-hub.rules.test.yml");
    static final Path DASHBOARD = Path.of("ops", "grafana", "anpr-hub.json");
    static final Path RUNBOOK = Path.of("docs", "operations.md");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");
    private static final Pattern NAME = Pattern.compile("(?<![\\w$.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

    private OpsFiles() {
    }

    static JsonNode rules() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
    }

    static List<JsonNode> alerts() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        rules().path("groups").forEach(g -> g.path("rules").forEach(out::add));
        return out;
    }

    /** Every PromQL expression of the rules and of the dashboard (panel targets and query variables). */
    static List<String> expressions() throws IOException {
        List<String> out = new ArrayList<>();
        alerts().forEach(r -> out.add(r.path("expr").asText()));
        JsonNode dash = new ObjectMapper().readTree(DASHBOARD.toFile());
        dash.findValues("targets").forEach(ts -> ts.forEach(t -> out.add(t.path("expr").asText())));
        dash.path("templating").path("list").forEach(v -> {
            if (v.path("type").asText().equals("query")) {
                out.add(v.path("definition").asText().replaceFirst("^label_values\\((.*),\\s*\\w+\\)$", "$1"));
            }
        });
        return out;
    }

    /** The metric names a PromQL expression selects: identifiers outside strings, matchers, ranges and label lists. */
    static Set<String> metricNames(String promql) {
        String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(s);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
